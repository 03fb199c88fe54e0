// The GDCM worker host: a separate process so that a native assertion in GDCM ends this process, not the ingest run.
return Streaming.Imaging.Formats.Dicom.Isolation.GdcmWorkerHost.Main(args);
