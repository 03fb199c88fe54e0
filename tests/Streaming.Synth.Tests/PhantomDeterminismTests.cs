using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Tests;

public class PhantomDeterminismTests
{
    [Fact]
    public void SameSeedGivesByteIdenticalVolumes()
    {
        var a = PhantomGenerator.Generate(42, Modality.CT, SynthSize.Small);
        var b = PhantomGenerator.Generate(42, Modality.CT, SynthSize.Small);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Image.Geometry, b.Image.Geometry);
        Assert.True(a.Image.Data.AsSpan().SequenceEqual(b.Image.Data));
        Assert.True(a.Labels.Data.AsSpan().SequenceEqual(b.Labels.Data));
    }

    [Fact]
    public void SameSeedGivesIdenticalMriVolumes()
    {
        var a = PhantomGenerator.Generate(7, Modality.MR, SynthSize.Small);
        var b = PhantomGenerator.Generate(7, Modality.MR, SynthSize.Small);
        Assert.True(a.Image.Data.AsSpan().SequenceEqual(b.Image.Data));
    }

    [Fact]
    public void DifferentSeedsDiffer()
    {
        var a = PhantomGenerator.Generate(1, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
        var b = PhantomGenerator.Generate(2, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
        Assert.NotEqual(a.Parameters.PatientScale, b.Parameters.PatientScale);
        // Even on equal grids the anatomy and noise differ: compare the parameters' detail seeds and some voxels.
        Assert.NotEqual(a.Parameters.DetailSeed, b.Parameters.DetailSeed);
        Assert.False(a.Image.Shape == b.Image.Shape && a.Image.Data.AsSpan().SequenceEqual(b.Image.Data));
    }

    [Fact]
    public void ParametersAreFullyDeterminedBySeedAndRenderingIsPure()
    {
        // Same record rendered twice (TorchIO style: the random step is only the parameter draw).
        var p = PhantomSampler.Draw(99, Modality.CT, SynthSize.Small, FieldOfView.Thorax);
        var a = PhantomGenerator.Generate(p);
        var b = PhantomGenerator.Generate(p with { });
        Assert.True(a.Image.Data.AsSpan().SequenceEqual(b.Image.Data));
        // A changed parameter changes the volume: the noise level.
        var c = PhantomGenerator.Generate(p with { NoiseSdHu = p.NoiseSdHu + 10 });
        Assert.False(a.Image.Data.AsSpan().SequenceEqual(c.Image.Data));
    }

    [Theory]
    [InlineData(SynthSize.Small, 96, 128, 32, 64)]
    [InlineData(SynthSize.Full, 512, 512, 80, 600)]
    public void GridsFollowTheSizePresets(SynthSize size, int nMin, int nMax, int zMin, int zMax)
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var p = PhantomSampler.Draw(seed, Modality.CT, size);
            Assert.InRange(p.Shape.X, nMin, nMax);
            Assert.Equal(p.Shape.X, p.Shape.Y);
            Assert.InRange(p.Shape.Z, zMin, zMax);
            if (size == SynthSize.Full)
            {
                Assert.InRange(p.Spacing.X, 0.6 - 1e-6, 0.98 + 1e-6);
                Assert.InRange(p.Spacing.Z, 0.625 - 1e-6, 5 + 1e-6);
            }
        }
    }
}
