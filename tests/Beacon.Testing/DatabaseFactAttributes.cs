using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Beacon.Testing;

/// <summary>
/// A fact of a suite that runs once per database: declared in an abstract base class, run by each
/// concrete class (one on SQLite, one on PostgreSQL). Skipped, with the reason, when the concrete class
/// is marked <see cref="RequiresPostgresAttribute"/> (or <see cref="RequiresRedisAttribute"/>) and that
/// server is missing outside CI. A plain [Fact] cannot do this: its skip is fixed where it is declared.
/// </summary>
[XunitTestCaseDiscoverer("Beacon.Testing.DatabaseFactDiscoverer", "Beacon.Testing")]
public sealed class DatabaseFactAttribute : FactAttribute;

/// <summary>The theory counterpart of <see cref="DatabaseFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Beacon.Testing.DatabaseTheoryDiscoverer", "Beacon.Testing")]
public sealed class DatabaseTheoryAttribute : TheoryAttribute;

/// <summary>Discovers <see cref="DatabaseFactAttribute"/> tests, skipping them per concrete class.</summary>
public sealed class DatabaseFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        DatabaseSkip.For(DiagnosticMessageSink, discoveryOptions, testMethod) ?? base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>Discovers <see cref="DatabaseTheoryAttribute"/> tests, skipping them per concrete class.</summary>
public sealed class DatabaseTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        DatabaseSkip.For(DiagnosticMessageSink, discoveryOptions, testMethod) ?? base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

internal static class DatabaseSkip
{
    /// <summary>
    /// One skipped test case carrying the reason, or null when the test runs. (xunit's own skipped
    /// cases read the reason from the attribute, which is the same for every class that inherits it.)
    /// </summary>
    public static IXunitTestCase[]? For(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod) =>
        RealServices.SkipReasonFor(testMethod.TestClass.Class.ToRuntimeType()) is { } reason
            ? [new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, reason, null)]
            : null;
}
