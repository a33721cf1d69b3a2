using Beacon.Server.Signing;
using Beacon.Testing;

namespace Beacon.Server.Tests.Signing;

public sealed class SourceAddressListTests
{
    public static readonly string[] Valid =
    [
        "10.0.0.0/8", "10.0.0.1", "1.2.3.4/32", "0.0.0.0/0", "192.0.2.0/24,198.51.100.7",
        "::1", "::1/128", "2001:db8::/32", "::/0", "::ffff:10.0.0.1", "10.0.0.0/8,2001:db8::/48",
    ];

    public static readonly string[] Invalid =
    [
        "", "10.0.0.0/8,", ",10.0.0.0/8", "10.0.0.0/8,,::1", "*", "10.0.0.0/8 ", " 10.0.0.0/8",
        "10.0.0.1/8", "2001:db8::1/32", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.256",
        "fe80::1%eth0", "[::1]", "example.com", "10.0.0.0/-1",
        // OpenSSH reads these as other addresses (a short form, octal); refused so that what is typed is what sshd enforces.
        "1", "10.1", "010.0.0.1", "10.0.0.0/08",
    ];

    public static TheoryData<string> ValidLists() => new(Valid);

    public static TheoryData<string> InvalidLists() => new(Invalid);

    [Theory]
    [MemberData(nameof(ValidLists))]
    public void ValidListIsAcceptedUnchanged(string list) => Assert.Equal(list, SourceAddressList.Validate(list));

    [Theory]
    [MemberData(nameof(InvalidLists))]
    public void InvalidListIsRefused(string list) => Assert.Throws<FormatException>(() => SourceAddressList.Validate(list));

    [RequiresOpenSshFact]
    public void EveryListWeAcceptSshKeygenAcceptsAndEveryListSshKeygenRefusesWeRefuse()
    {
        using var dir = new TempDirectory();
        var ca = dir.File("ca");
        Assert.Equal(0, OpenSsh.Keygen("-q", "-t", "ed25519", "-N", "", "-f", ca).ExitCode);
        Assert.Equal(0, OpenSsh.Keygen("-q", "-t", "ed25519", "-N", "", "-f", dir.File("user")).ExitCode);

        foreach (var list in Valid.Concat(Invalid))
        {
            var keygen = OpenSsh.Keygen("-q", "-s", ca, "-I", "x", "-n", "a", "-O", $"source-address={list}", dir.File("user.pub"));
            var ours = Accepts(list);
            if (ours)
            {
                Assert.True(keygen.ExitCode == 0, $"we accept \"{list}\" but ssh-keygen refuses it: {keygen}");
            }
            if (keygen.ExitCode != 0)
            {
                Assert.False(ours, $"ssh-keygen refuses \"{list}\" but we accept it");
            }
        }
    }

    private static bool Accepts(string list)
    {
        try
        {
            SourceAddressList.Validate(list);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
