using Beacon.Web.Server;

namespace Beacon.Web.Pages;

/// <summary>A certificate list; the admin form adds the user column and a revoke button per live certificate.</summary>
public sealed record CertificateTableModel(IReadOnlyList<CertificateRow> Rows, bool Admin, DateTimeOffset Now);
