namespace TattooDirectory.Core.Health;

/// <summary>
/// An adapter that can tell whether its service answers, for ports with no cheap read of their
/// own (a topic only publishes). Health checks ask it; it throws what the service said.
/// </summary>
public interface IProbe
{
    Task ProbeAsync(CancellationToken cancellationToken = default);
}
