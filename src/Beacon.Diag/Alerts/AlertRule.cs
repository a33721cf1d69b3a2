namespace Beacon.Diag.Alerts;

/// <summary>A configured alert rule; each kind is one record.</summary>
internal abstract record AlertRule(string Name);

/// <summary>Fires for a command whose failure rate over the window is above the threshold, given at least MinimumCount events.</summary>
/// <param name="Command">The command, or null for each command separately.</param>
internal sealed record FailureRateRule(string Name, string? Command, double Threshold, TimeSpan Window, int MinimumCount) : AlertRule(Name);

/// <summary>Fires for a client (of the given program, or any) not seen for longer than After.</summary>
internal sealed record NotSeenRule(string Name, string? ClientName, TimeSpan After) : AlertRule(Name);

/// <summary>An alert that is firing now: which rule, for what (a command or a client id), and why.</summary>
internal sealed record FiringAlert(string Rule, string Kind, string Subject, string Message);
