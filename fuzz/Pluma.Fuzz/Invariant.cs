namespace Pluma.Fuzz;

/// <summary>A promise a target checks on Pluma's code, beyond "it did not crash".</summary>
public static class Invariant
{
    public static void Check(bool condition, string promise)
    {
        if (!condition)
        {
            throw new InvariantViolationException(promise);
        }
    }
}

/// <summary>
/// A target found Pluma's code broke a promise (not merely refused bad input). Like any other
/// unexpected exception it ends the run, so afl-fuzz files the input under crashes/.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    public InvariantViolationException(string message)
        : base(message)
    {
    }

    public InvariantViolationException()
    {
    }

    public InvariantViolationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
