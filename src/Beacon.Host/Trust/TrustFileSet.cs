using System.Globalization;
using System.Text;
using Beacon.Ssh.Trust;
using Beacon.Trust.Bundle;

namespace Beacon.Host.Trust;

/// <summary>
/// The files sshd enforces trust from, as bytes: TrustedUserCAKeys, RevokedKeys and one principals file
/// per account (DESIGN flow 5). Built from a verified bundle, a verified KRL and this host's groups.
/// </summary>
public sealed record TrustFileSet(byte[] TrustedUserCaKeys, byte[] RevokedKeys, IReadOnlyDictionary<string, byte[]> Principals)
{
    /// <summary>
    /// principals/ACCOUNT lists ACCOUNT@GROUP for each of the host's groups whose map lists ACCOUNT. An
    /// account no group of this host lists gets no file, and sshd then refuses every certificate for it:
    /// a certificate scoped to another group can never log in here.
    /// </summary>
    public static TrustFileSet Build(TrustBundle bundle, byte[] krl, IReadOnlyList<string> hostGroups)
    {
        var header = $"Written by beacon-host from trust bundle version {bundle.Version.ToString(CultureInfo.InvariantCulture)}; do not edit.";
        var caKeys = Beacon.Ssh.Trust.TrustedUserCaKeys.Format(
            bundle.UserCaKeys.Select(k => new TrustedCaKey(k.Key, $"beacon-user-ca {k.State}")), [header]);
        var principals = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var group in hostGroups.Distinct(StringComparer.Ordinal))
        {
            if (!bundle.HostGroups.TryGetValue(group, out var accounts))
            {
                continue;
            }
            foreach (var account in accounts)
            {
                if (!principals.TryGetValue(account, out var set))
                {
                    principals[account] = set = new SortedSet<string>(StringComparer.Ordinal);
                }
                set.Add($"{account}@{group}");
            }
        }
        return new TrustFileSet(
            Encoding.UTF8.GetBytes(caKeys),
            krl,
            principals.ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(string.Concat(p.Value.Select(v => v + "\n"))), StringComparer.Ordinal));
    }
}
