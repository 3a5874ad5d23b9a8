using System.Reflection;

namespace TattooDirectory.Hosting;

/// <summary>A port the running backend has no adapter for: every call fails with this, and /health names it.</summary>
public sealed class PortNotConfiguredException(string port, string backend)
    : InvalidOperationException($"{port} has no adapter on the {backend} backend in this build.")
{
    public string Port { get; } = port;
}

/// <summary>
/// Stands in for a port whose adapter is not registered, so the host still starts and the
/// features that need it fail on use (and are reported by /health) instead of the whole app
/// failing to start. It never pretends: every member fails with <see cref="PortNotConfiguredException"/>;
/// task-returning members return a faulted task, so callers see it where they await.
/// </summary>
/// <remarks>Not sealed: <see cref="DispatchProxy"/> derives the proxy type from it.</remarks>
public class UnconfiguredPort : DispatchProxy
{
    private PortNotConfiguredException _failure = null!;

    public static T Create<T>(string backend) where T : class => (T)Create(typeof(T), new PortNotConfiguredException(typeof(T).Name, backend));

    /// <summary>The failure every call of <paramref name="port"/> ends in when it is a stand-in; null for an adapter.</summary>
    public static PortNotConfiguredException? FailureOf(object port) => (port as UnconfiguredPort)?._failure;

    private static object Create(Type port, PortNotConfiguredException failure)
    {
        var proxy = Create(port, typeof(UnconfiguredPort));
        ((UnconfiguredPort)proxy)._failure = failure;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var returns = targetMethod?.ReturnType ?? typeof(void);
        if (returns == typeof(Task)) return Task.FromException(_failure);
        if (returns == typeof(ValueTask)) return ValueTask.FromException(_failure);
        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return Faulted(typeof(Task), returns);
        }

        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return Faulted(typeof(ValueTask), returns);
        }

        // A port handing out another port (IQueues.Get, an async enumerable): that one fails on use too.
        return returns.IsInterface ? Create(returns, _failure) : throw _failure;
    }

    private object? Faulted(Type factory, Type returns) => factory.GetMethods()
        .Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethodDefinition)
        .MakeGenericMethod(returns.GetGenericArguments()[0])
        .Invoke(null, [_failure]);
}
