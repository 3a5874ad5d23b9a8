using TattooDirectory.Features.Notifications;

namespace TattooDirectory.Tests.Features.Notifications;

public sealed class NotificationDispatcherTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 16)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(1000, 300)]
    public void Retries_back_off_exponentially_up_to_five_minutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), NotificationDispatcher.Backoff(failures));
}
