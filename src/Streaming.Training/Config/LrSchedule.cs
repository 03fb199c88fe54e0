namespace Streaming.Training.Config;

/// <summary>How the learning rate moves over a run (<c>lrSchedule:</c>).</summary>
public enum LrSchedule
{
    /// <summary><c>lr</c> throughout.</summary>
    Constant,
    /// <summary>Polynomial decay (Chen et al.'s "poly", voxel-level SimSiam): lr × (1 - step / steps)^polyPower.</summary>
    Poly,
}
