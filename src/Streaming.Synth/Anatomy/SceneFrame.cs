using Streaming.Imaging.Volumes;
using Streaming.Synth.Shapes;

namespace Streaming.Synth.Anatomy;

/// <summary>
/// Shared landmarks of one patient used by the part builders: the trunk layers (skin, fat, muscle, cavity) and
/// the spine line. All lengths in mm, scaled by the patient size.
/// </summary>
internal sealed class SceneFrame
{
    public SceneFrame(PhantomParameters p)
    {
        P = p;
        S = p.PatientScale;
        var w = S * p.WidthFactor; var d = S * p.DepthFactor;
        var o = p.PatientOffset;
        // Muscle frame (outer surface of the muscle wall) from neck to pelvis: (z, half width, anterior, posterior).
        (double z, double hw, double a, double po)[] frame =
        [
            (340, 118, 72, 88), (255, 135, 85, 96), (150, 150, 100, 100), (50, 150, 104, 96),
            (-50, 146, 104, 90), (-150, 136, 100, 86), (-250, 146, 96, 90), (-345, 156, 92, 96),
        ];
        var fat = p.SubcutaneousFatMm;
        // Supine on a flat table: the back is level at every height, so the centre moves forward where the trunk is thinner.
        Frame = new BodyPrism(frame.Select(k => new BodySection(k.z * S, o.X, o.Y + (100 - k.po) * d, k.hw * w, k.a * d, k.po * d)).ToArray(), 2.2, 0, 3.2, outline: true);
        // The skin surface: the frame grown by the fat layer and 2 mm of skin (negative inset grows).
        Body = Frame.WithInset(-(fat + 2));
        SubcutaneousFat = Frame.WithInset(-fat);
        Cavity = Frame.WithInset(p.MuscleMm);
        ZMin = -345 * S; ZMax = 340 * S;
    }

    public PhantomParameters P { get; }
    public double S { get; }
    public BodyPrism Frame { get; }
    public BodyPrism Body { get; }
    public BodyPrism SubcutaneousFat { get; }
    public BodyPrism Cavity { get; }
    public double ZMin { get; }
    public double ZMax { get; }

    /// <summary>Centre of the vertebral bodies at height z (more posterior in the thorax: kyphosis).</summary>
    public Vec3 Spine(double z)
    {
        var sec = Frame.At(z);
        var t = Math.Clamp((z / S + 120) / 100, 0, 1); // 0 = lumbar, 1 = thoracic
        var depth = (72 - 14 * t) * S * P.DepthFactor;
        return new Vec3(sec.CenterX, sec.CenterY + sec.Posterior - depth, z);
    }

    /// <summary>A point in the canonical (size-1) anatomy, scaled and moved with the patient, plus an organ offset.</summary>
    public Vec3 At(double x, double y, double z, OrganJitter j = default) =>
        new(P.PatientOffset.X + x * S * P.WidthFactor + j.Offset.X,
            P.PatientOffset.Y + y * S * P.DepthFactor + j.Offset.Y,
            z * S + j.Offset.Z);

    public Vec3 Radii(double rx, double ry, double rz, OrganJitter j = default)
    {
        var f = S * (j.Scale == 0 ? 1 : j.Scale);
        return new Vec3(rx * f, ry * f, rz * f);
    }

    public static Mat3 Rotation(double yawDeg, double pitchDeg = 0, double rollDeg = 0)
    {
        static double c(double a) => Math.Cos(a * Math.PI / 180);
        static double s(double a) => Math.Sin(a * Math.PI / 180);
        var rz = new Mat3(c(yawDeg), -s(yawDeg), 0, s(yawDeg), c(yawDeg), 0, 0, 0, 1);
        var rx = new Mat3(1, 0, 0, 0, c(pitchDeg), -s(pitchDeg), 0, s(pitchDeg), c(pitchDeg));
        var ry = new Mat3(c(rollDeg), 0, s(rollDeg), 0, 1, 0, -s(rollDeg), 0, c(rollDeg));
        return rz * rx * ry;
    }
}
