using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.Streams;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Tests.Backends.Aws.Streams;

/// <summary>How stream records map to the port's changes, tombstones included (the table never deletes).</summary>
public sealed class StreamRecordsTests
{
    private static readonly ItemKey Key = new("ARTIST#artist-aaaa1", "PROFILE");
    private static readonly Item V1 = new() { Pk = Key.Pk, Sk = Key.Sk, Data = """{"name":"x"}""", Version = 1, UpdatedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero) };
    private static readonly Item V3 = V1 with { Version = 3 };

    [Fact]
    public void A_write_that_leaves_a_tombstone_is_a_remove_with_the_old_image()
    {
        var change = Map("MODIFY", StreamEvents.Image(V1), StreamEvents.Tombstone(Key, 2));

        Assert.Equal(ChangeKind.Remove, change!.Kind);
        Assert.Equal(V1, change.OldImage);
        Assert.Null(change.NewImage);
    }

    [Fact]
    public void Reviving_a_tombstone_is_an_insert_and_a_tombstone_over_a_tombstone_is_no_change()
    {
        var revived = Map("MODIFY", StreamEvents.Tombstone(Key, 2), StreamEvents.Image(V3));

        Assert.Equal(ChangeKind.Insert, revived!.Kind);
        Assert.Equal(V3, revived.NewImage);
        Assert.Null(revived.OldImage);
        Assert.Null(Map("MODIFY", StreamEvents.Tombstone(Key, 2), StreamEvents.Tombstone(Key, 3)));
        Assert.Null(Map("INSERT", null, StreamEvents.Tombstone(Key, 1)));
    }

    [Fact]
    public void Insert_modify_and_remove_of_live_items_keep_their_kinds_images_and_time()
    {
        var inserted = Map("INSERT", null, StreamEvents.Image(V1))!;
        var modified = Map("MODIFY", StreamEvents.Image(V1), StreamEvents.Image(V3))!;
        var removed = Map("REMOVE", StreamEvents.Image(V3), null)!;

        Assert.Equal((ChangeKind.Insert, (Item?)null, (Item?)V1), (inserted.Kind, inserted.OldImage, inserted.NewImage));
        Assert.Equal((ChangeKind.Modify, (Item?)V1, (Item?)V3), (modified.Kind, modified.OldImage, modified.NewImage));
        Assert.Equal((ChangeKind.Remove, (Item?)V3, (Item?)null), (removed.Kind, removed.OldImage, removed.NewImage));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795770000), inserted.CommittedAt);
        Assert.Equal(7, inserted.Sequence);
    }

    [Theory]
    [InlineData("version", """{"N":"seven"}""")]
    [InlineData("PK", """{"S":"ARTIST#someone-else"}""")]
    [InlineData("data", """{"N":"1"}""")]
    [InlineData("updatedAt", """{"S":"yesterday"}""")]
    [InlineData("version", """{"Q":"1"}""")]
    public void A_record_whose_image_is_not_an_item_of_the_table_is_poison(string attribute, string value)
    {
        var image = StreamEvents.Image(V1);
        image[attribute] = JsonNode.Parse(value);

        Assert.Throws<StreamRecordException>(() => Map("INSERT", null, image));
    }

    [Fact]
    public void An_unknown_event_name_is_poison()
    {
        Assert.Throws<StreamRecordException>(() => Map("UPSERT", null, StreamEvents.Image(V1)));
    }

    [Theory]
    [InlineData("111", 111L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("21258800000000008186106757", 8186106757L)]
    public void Sequence_numbers_too_long_for_a_long_keep_their_low_digits(string sequenceNumber, long expected)
    {
        Assert.Equal(expected, StreamRecords.SequenceOf(sequenceNumber));
    }

    private static ChangeRecord? Map(string eventName, JsonObject? oldImage, JsonObject? newImage) =>
        StreamRecords.ToChange(JsonSerializer.SerializeToElement(StreamEvents.Record(eventName, "111", Key, oldImage, newImage)), 7);
}
