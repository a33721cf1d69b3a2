namespace Beacon.Bench.Issuance;

/// <summary>
/// Pre-minted tokens, each handed out once. Taking is lock-free so that clients do not queue on it;
/// refilling happens only between runs, when nobody takes.
/// </summary>
internal sealed class TokenPool
{
    private string[] _tokens = [];
    private int _next;

    public int Remaining => Math.Max(0, _tokens.Length - Volatile.Read(ref _next));

    /// <summary>The next unused token; false when the pool is spent (the run then stops: its length is bounded by the pool).</summary>
    public bool TryTake(out string token)
    {
        var index = Interlocked.Increment(ref _next) - 1;
        if (index < _tokens.Length)
        {
            token = _tokens[index];
            return true;
        }
        token = "";
        return false;
    }

    /// <summary>Keeps the unused tokens and adds <paramref name="fresh"/> ones. Not safe while a run takes tokens.</summary>
    public void Refill(string[] fresh)
    {
        var start = Math.Min(_next, _tokens.Length);
        _tokens = [.. _tokens.AsSpan(start), .. fresh];
        _next = 0;
    }
}
