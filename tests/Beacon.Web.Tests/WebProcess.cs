using System.Diagnostics;
using System.Text;
using Beacon.Testing;

namespace Beacon.Web.Tests;

/// <summary>The real beacon-web executable (beacon-web.dll beside the tests) on a loopback port.</summary>
public sealed class WebProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WebProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static WebProcess Start(string url, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "beacon-web.dll"), "run", "--urls", url })
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        var web = new WebProcess(Process.Start(info)!, url);
        web._process.OutputDataReceived += (_, e) => web.Append(e.Data);
        web._process.ErrorDataReceived += (_, e) => web.Append(e.Data);
        web._process.BeginOutputReadLine();
        web._process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !web._process.HasExited)
        {
            try
            {
                if (http.GetAsync(url + "/healthz").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return web;
                }
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(100);
        }
        var output = web.Output;
        web.Dispose();
        throw new InvalidOperationException($"beacon-web did not become ready: {output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
