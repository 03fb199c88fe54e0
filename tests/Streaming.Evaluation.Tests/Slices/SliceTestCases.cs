using Streaming.Evaluation.Data;
using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Tests.Slices;

/// <summary>Small labeled volumes whose label is a bright block (class 1) and a dim block (class 2) whose position varies by case.</summary>
internal static class SliceTestCases
{
    public static LabeledCase Case(string id, Int3 shape, int shift)
    {
        var g = VolumeGeometry.Axial(shape, new Vec3(2, 2, 3));
        var input = new float[shape.Volume];
        var labels = new byte[shape.Volume];
        for (var z = 1; z < shape.Z - 1; z++)
            for (var y = 0; y < shape.Y; y++)
                for (var x = 0; x < shape.X; x++)
                {
                    var i = shape.Index(x, y, z);
                    if (x >= 2 + shift && x < 7 + shift && y >= 2 && y < 7) { input[i] = 1f; labels[i] = 1; }
                    else if (y >= shape.Y - 5 && y < shape.Y - 1 && x >= 3 && x < 8 && z % 2 == 0) { input[i] = 0.5f; labels[i] = 2; }
                }
        return new LabeledCase(id, FineTuneTests.Record(g) with { Id = id }, new Volume<float>(g, input), new Volume<byte>(g, labels));
    }
}
