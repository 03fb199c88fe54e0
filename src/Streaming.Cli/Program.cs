return Streaming.Cli.CliApp.Run(args);
