using System.Diagnostics;

namespace TattooDirectory.Hosting;

/// <summary>The app's one activity source, named once.</summary>
public static class Telemetry
{
    public const string Name = "TattooDirectory";
    public static readonly ActivitySource Source = new(Name);
}
