namespace Pluma.Testing;

/// <summary>
/// The reference pair of the differential tests: two private copies of the bundled tree, both
/// prepared the same way, Debian's apache2 serving one and bin/pluma the other, each on its own
/// free port (so logs and pid files never mix). A failed start leaves nothing running.
/// </summary>
public sealed class DifferentialPair : IDisposable
{
    /// <summary>Copies the tree twice, runs <paramref name="prepare"/> on each copy, then starts apache2 and pluma.</summary>
    public DifferentialPair(Action<TempConfTree> prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ApacheTree = new TempConfTree();
        PlumaTree = new TempConfTree();
        try
        {
            prepare(ApacheTree);
            prepare(PlumaTree);
            Apache = DifferentialApache.Start(ApacheTree);
            try
            {
                Pluma = PlumaServer.Start(PlumaTree);
            }
            catch
            {
                Apache.Dispose();
                throw;
            }
        }
        catch
        {
            PlumaTree.Dispose();
            ApacheTree.Dispose();
            throw;
        }
    }

    public TempConfTree ApacheTree { get; }

    public TempConfTree PlumaTree { get; }

    public DifferentialApache Apache { get; }

    public PlumaServer Pluma { get; }

    public int ApachePort => ApacheTree.Port;

    public int PlumaPort => PlumaTree.Port;

    public void Dispose()
    {
        Pluma.Dispose();
        Apache.Dispose();
        PlumaTree.Dispose();
        ApacheTree.Dispose();
    }
}
