namespace Streaming.Cli;

public static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("streaming: commands are being assembled");
        return 1;
    }
}
