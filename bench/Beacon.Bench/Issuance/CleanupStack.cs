namespace Beacon.Bench.Issuance;

/// <summary>
/// Everything the suite started (processes, clusters, directories), disposed newest first exactly once:
/// at the end of the run, on failure, on Ctrl+C, and on SIGTERM through ProcessExit.
/// </summary>
internal sealed class CleanupStack : IDisposable
{
    private readonly Stack<IDisposable> _items = new();

    public CleanupStack() => AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

    public T Push<T>(T item) where T : IDisposable
    {
        lock (_items)
        {
            _items.Push(item);
        }
        return item;
    }

    /// <summary>Disposes one item now (a finished database run), so it is not disposed again at the end.</summary>
    public void DisposeNow(IDisposable item)
    {
        lock (_items)
        {
            var rest = _items.Where(i => !ReferenceEquals(i, item)).Reverse().ToList();
            _items.Clear();
            foreach (var kept in rest)
            {
                _items.Push(kept);
            }
        }
        item.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    public void Dispose()
    {
        while (true)
        {
            IDisposable item;
            lock (_items)
            {
                if (!_items.TryPop(out item!))
                {
                    break;
                }
            }
            try
            {
                item.Dispose();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"beacon-bench: cleanup of {item.GetType().Name} failed: {e.Message}");
            }
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
    }
}
