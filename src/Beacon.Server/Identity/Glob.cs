namespace Beacon.Server.Identity;

/// <summary>Shell-style globs with * and ? only, as Vault's bound claims use them.</summary>
public static class Glob
{
    public static bool IsMatch(string pattern, string value)
    {
        // Iterative matcher with one backtrack point: linear in practice, no regex and no blow-up.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
