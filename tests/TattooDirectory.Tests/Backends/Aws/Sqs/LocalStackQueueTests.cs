using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Tests.Contracts;

namespace TattooDirectory.Tests.Backends.Aws.Sqs;

/// <summary>
/// The queue contract on LocalStack's SQS, when LOCALSTACK_ENDPOINT points at one; each test's
/// queues carry a prefix of their own and are deleted afterwards. SQS runs on its own clock, so the
/// tests that pass visibility timeouts, delays or retention by advancing the fake clock are skipped
/// here; <see cref="SqsShapeTests"/> checks the requests and answers they rely on.
/// </summary>
public sealed class LocalStackQueueTests : QueueContract<SqsQueues>
{
    private static readonly HashSet<string> NeedsTheFakeClock = new(StringComparer.Ordinal)
    {
        nameof(Sent_messages_are_received_once_hidden_with_their_body_and_times),
        nameof(A_long_poll_on_an_empty_queue_ends_empty_when_its_wait_passes_on_the_clock),
        nameof(A_long_poll_returns_a_delayed_message_when_its_delay_ends),
        nameof(A_received_message_is_hidden_until_its_visibility_timeout_passes_then_delivered_again),
        nameof(A_receive_can_set_its_own_visibility_timeout),
        nameof(Extending_the_visibility_keeps_a_message_hidden_past_its_first_timeout),
        nameof(Changing_the_visibility_of_a_delivery_that_is_no_longer_in_flight_reports_it_lost),
        nameof(A_visibility_ending_more_than_12_hours_after_the_receive_is_rejected),
        nameof(Deleting_with_a_stale_receipt_leaves_the_newer_delivery_alone),
        nameof(A_receipt_whose_timeout_passed_still_deletes_while_nobody_received_the_message_again),
        nameof(A_message_gets_MaxReceiveCount_deliveries_then_moves_to_the_DLQ_on_the_next_receive),
        nameof(Peeking_the_DLQ_leaves_its_messages_there),
        nameof(A_redrive_returns_dead_letters_as_new_messages_with_fresh_receive_counts),
        nameof(Messages_are_dropped_when_they_reach_the_retention_period_from_the_queue_and_the_DLQ),
        nameof(Stats_count_each_state_and_the_age_of_the_oldest_message_not_dead),
        nameof(Purging_empties_the_queue_and_its_DLQ),
        nameof(A_poison_message_ends_in_the_DLQ_while_the_messages_around_it_keep_flowing),
        nameof(Sent_deleted_hidden_and_dead_messages_stay_as_they_were_across_a_restart),
        nameof(Queues_with_different_names_share_neither_messages_nor_dead_letters),
        nameof(A_batch_at_every_SQS_limit_is_accepted),
    };

    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..13] + "-";
    private AmazonSQSClient? _client;
    private SqsOptions? _options;

    protected override ValueTask<SqsQueues> OpenAsync(TimeProvider timeProvider)
    {
        Assert.SkipWhen(NeedsTheFakeClock.Contains(TestContext.Current.TestMethod?.MethodName ?? ""),
            "SQS keeps its own time: this test advances the fake clock past visibility timeouts, delays or retention.");
        var options = AwsEmulators.Options();
        options.Sqs = _options ??= new SqsOptions { ServiceUrl = AwsEmulators.LocalStack().ToString(), QueuePrefix = _prefix };
        _client ??= new AmazonSQSClient(new Amazon.Runtime.BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), AwsBackend.SqsConfig(options));
        return ValueTask.FromResult(new SqsQueues(_client, options.Sqs, NullLogger<SqsQueues>.Instance));
    }

    protected override ValueTask CloseAsync() => ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_client is null)
        {
            return;
        }

        var queues = await _client.ListQueuesAsync(new ListQueuesRequest { QueueNamePrefix = _prefix });
        foreach (var url in queues.QueueUrls ?? [])
        {
            await _client.DeleteQueueAsync(url);
        }

        _client.Dispose();
    }
}
