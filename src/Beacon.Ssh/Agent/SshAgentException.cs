namespace Beacon.Ssh.Agent;

/// <summary>The agent refused a request (SSH_AGENT_FAILURE), or could not be reached or finished.</summary>
public sealed class SshAgentException(string message, Exception? inner = null) : Exception(message, inner);
