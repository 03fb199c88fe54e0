using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

public class LayoutTests
{
    [Fact]
    public void FlareLayoutHasNnUnetNamesSplitsAndPairedLabels()
    {
        using var dir = new TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 6, Layout = SynthLayout.Flare, Parallelism = 2 });
        Assert.Equal(6, report.Cases.Count);
        string F(params string[] p) => Path.Combine([dir.Root, "FLARE", .. p]);
        // 6 cases: 4 training, 1 validation, 1 unlabeled.
        Assert.Equal(["FLARE_Tr_0001_0000.nii.gz", "FLARE_Tr_0002_0000.nii.gz", "FLARE_Tr_0003_0000.nii.gz", "FLARE_Tr_0004_0000.nii.gz"],
            Directory.GetFiles(F("imagesTr")).Select(Path.GetFileName).Order());
        Assert.Equal(["FLARE_Tr_0001.nii.gz", "FLARE_Tr_0002.nii.gz", "FLARE_Tr_0003.nii.gz", "FLARE_Tr_0004.nii.gz"],
            Directory.GetFiles(F("labelsTr")).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(F("imagesVa", "FLARE_Va_0001_0000.nii.gz")) && File.Exists(F("labelsVa", "FLARE_Va_0001.nii.gz")));
        Assert.Equal(["FLARE_Ul_0001_0000.nii.gz"], Directory.GetFiles(F("unlabeled")).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(dir.Root, "corrupt-manifest.json")));
        foreach (var c in report.Cases.Where(c => c.LabelPath is not null))
        {
            // Labels lie on the image grid.
            var h = NiftiReader.ReadHeader(c.ImagePath);
            var image = NiftiReader.Read(c.ImagePath).Volume;
            var labels = NiftiReader.ReadLabels(c.LabelPath!);
            Assert.Equal(image.Shape, labels.Shape);
            Assert.Equal(c.Shape, image.Shape);
            Assert.True(image.Geometry.Direction.ApproximatelyEquals(labels.Geometry.Direction, 1e-5));
            Assert.True((image.Geometry.Origin - labels.Geometry.Origin).Norm < 1e-3);
            Assert.True(h.SformCode > 0 || h.QformCode > 0);
        }
    }

    [Fact]
    public void AmosIdsBelow500AreCtAndFrom500AreMri()
    {
        using var dir = new TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 8, Layout = SynthLayout.Amos, Modality = SynthModality.Mixed, Parallelism = 2 });
        Assert.Contains(report.Cases, c => c.Modality == Modality.MR);
        Assert.Contains(report.Cases, c => c.Modality == Modality.CT);
        foreach (var c in report.Cases)
        {
            var id = int.Parse(c.Id["amos_".Length..]);
            Assert.Equal(c.Modality == Modality.MR, id >= 500);
            Assert.Equal($"{c.Id}.nii.gz", Path.GetFileName(c.ImagePath));
            Assert.Equal("images" + c.Split, Path.GetFileName(Path.GetDirectoryName(c.ImagePath)));
            if (c.Split == "Ts") Assert.Null(c.LabelPath);
            else Assert.True(File.Exists(Path.Combine(dir.Root, "AMOS", "labels" + c.Split, c.Id + ".nii.gz")));
        }
        Assert.Contains(report.Cases, c => c.Split == "Va");
        Assert.Contains(report.Cases, c => c.Split == "Ts");
    }

    [Fact]
    public void NlstPatientsHaveOneStudyWhoseLargestAxialSeriesIsTheLabelledMainCt()
    {
        using var dir = new TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 3, Layout = SynthLayout.Nlst, Parallelism = 2 });
        var syntaxes = new HashSet<string>();
        foreach (var c in report.Cases)
        {
            var patient = Path.Combine(dir.Root, "NLST", c.Id);
            var study = Assert.Single(Directory.GetDirectories(patient));
            var series = Directory.GetDirectories(study);
            Assert.InRange(series.Length, 1, 3);
            var scans = series.Select(s => Assert.Single(DicomSeriesScanner.Scan(s).Series)).ToList();
            Assert.All(scans, s => Assert.True(s.IsAxial));
            var main = scans.OrderByDescending(s => s.SliceCount).First();
            Assert.True(main.SliceCount >= 32);
            Assert.Equal(c.ImagePath, Path.GetDirectoryName(main.Files[0]));
            Assert.Equal(c.ImagePath + ".labels.nii.gz", c.LabelPath);
            Assert.Matches(@"^IM\d{4}\.dcm$", Path.GetFileName(main.Files[0]));
            Assert.Equal(c.Id, main.PatientId);
            var loaded = DicomSeriesReader.Read(main.Files);
            syntaxes.Add(loaded.Metadata["transferSyntaxUid"]);
            // Labels on the series grid, and aligned: the lung interior is air-like tissue.
            var labels = NiftiReader.ReadLabels(c.LabelPath!);
            Assert.Equal(loaded.Volume.Shape, labels.Shape);
            Assert.True((loaded.Volume.Geometry.Origin - labels.Geometry.Origin).Norm < 1e-3);
            Assert.InRange(LabelStats.InteriorMean(loaded.Volume, labels, PhantomLabels.LungLeft).Mean, -920, -780);
        }
        // Patients rotate through transfer syntaxes: explicit VR little endian, JPEG-LS lossless, RLE lossless.
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.5"], syntaxes.Order());
    }

    [Fact]
    public void CleanRemovesStaleCasesOfAnEarlierLargerRun()
    {
        using var dir = new TempDir();
        SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 3, Layout = SynthLayout.Amos, Corrupt = true, Parallelism = 2 });
        var images = Path.Combine(dir.Root, "AMOS", "imagesTr");
        Assert.Equal(2 + 4, Directory.GetFiles(images).Length); // 2 training cases + 4 faults (the third case is validation)
        SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 1, Layout = SynthLayout.Amos, Clean = true, Parallelism = 1 });
        Assert.Equal(["amos_0001.nii.gz"], Directory.GetFiles(images).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(dir.Root, "AMOS", "imagesVa")));
        Assert.False(File.Exists(Path.Combine(dir.Root, "corrupt-manifest.json")));
    }

    [Fact]
    public void CleanIntoAFolderThatDoesNotExistYetWrites()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Root, "new", "archive");
        SynthRunner.Run(new SynthOptions { OutputDir = root, Count = 1, Layout = SynthLayout.Flare, Clean = true, Parallelism = 1 });
        Assert.Single(Directory.GetFiles(Path.Combine(root, "FLARE", "imagesTr")));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new SynthOptions { OutputDir = "x", Count = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new SynthOptions { OutputDir = "", Count = 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new SynthOptions { OutputDir = "x", Parallelism = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new SynthOptions { OutputDir = "x", Layout = SynthLayout.Nlst, Modality = SynthModality.Mr }.Validate());
        new SynthOptions { OutputDir = "x" }.Validate();
    }
}
