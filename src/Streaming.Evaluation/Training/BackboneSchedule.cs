namespace Streaming.Evaluation.Training;

/// <summary>
/// When and how fast the backbone learns during end-to-end training. Fine-tuning (vox2vec 3.4): frozen for the first
/// <see cref="FreezeSteps"/> steps, then its learning rate rises exponentially from <see cref="StartLr"/> to
/// <see cref="EndLr"/> over <see cref="RampSteps"/> steps and stays there. From scratch: no freeze, constant rate.
/// </summary>
public sealed record BackboneSchedule(long FreezeSteps, double StartLr, double EndLr, long RampSteps)
{
    public static BackboneSchedule FineTune(long freezeSteps) => new(freezeSteps, 3e-5, 3e-4, 1200);
    public static BackboneSchedule Constant(double lr) => new(0, lr, lr, 1);

    public void Validate()
    {
        if (FreezeSteps < 0) throw new ArgumentException("freeze steps must be >= 0");
        if (!(StartLr > 0) || !(EndLr > 0)) throw new ArgumentException("backbone learning rates must be > 0");
        if (RampSteps < 1) throw new ArgumentException("ramp steps must be >= 1");
    }

    public bool IsFrozen(long step) => step < FreezeSteps;

    /// <summary>Backbone learning rate at 0-based <paramref name="step"/>; 0 while frozen.</summary>
    public double LearningRate(long step)
    {
        if (IsFrozen(step)) return 0;
        var t = Math.Min(1.0, (double)(step - FreezeSteps) / RampSteps);
        return StartLr * Math.Pow(EndLr / StartLr, t);
    }
}
