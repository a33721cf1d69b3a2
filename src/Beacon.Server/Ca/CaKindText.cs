namespace Beacon.Server.Ca;

/// <summary>A CA kind as the database, the API and the command line spell it: user or host.</summary>
public static class CaKindText
{
    public static string Of(CaKind kind) => kind == CaKind.User ? "user" : "host";

    /// <exception cref="FormatException">Neither user nor host.</exception>
    public static CaKind Parse(string text) => text switch
    {
        "user" => CaKind.User,
        "host" => CaKind.Host,
        _ => throw new FormatException($"\"{(text.Length > 16 ? text[..16] + "…" : text)}\" is not a CA kind (user or host)"),
    };

    public static bool TryParse(string? text, out CaKind kind)
    {
        kind = text == "host" ? CaKind.Host : CaKind.User;
        return text is "user" or "host";
    }
}
