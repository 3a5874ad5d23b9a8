using Microsoft.Data.Sqlite;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Local.Sqlite;

/// <summary>How an <see cref="Item"/> maps to a row of the items table, in one place for reads and writes.</summary>
internal static class ItemRows
{
    public const int ColumnCount = 13;

    /// <summary>The item columns in the order <see cref="Read"/> and <see cref="Bind"/> use.</summary>
    public static string Columns(string? alias = null)
    {
        var p = alias is null ? "" : alias + ".";
        return $"{p}pk, {p}sk, {p}data, {p}version, {p}updated_at, "
            + $"{p}gsi1pk, {p}gsi1sk, {p}gsi2pk, {p}gsi2sk, {p}gsi3pk, {p}gsi3sk, {p}gsi4pk, {p}gsi4sk";
    }

    public const string Parameters = "$pk, $sk, $data, $version, $updated_at, "
        + "$gsi1pk, $gsi1sk, $gsi2pk, $gsi2sk, $gsi3pk, $gsi3sk, $gsi4pk, $gsi4sk";

    public static SqliteParameter[] AddParameters(SqliteCommand command) =>
    [
        command.Parameters.Add("$pk", SqliteType.Text),
        command.Parameters.Add("$sk", SqliteType.Text),
        command.Parameters.Add("$data", SqliteType.Text),
        command.Parameters.Add("$version", SqliteType.Integer),
        command.Parameters.Add("$updated_at", SqliteType.Integer),
        command.Parameters.Add("$gsi1pk", SqliteType.Text),
        command.Parameters.Add("$gsi1sk", SqliteType.Text),
        command.Parameters.Add("$gsi2pk", SqliteType.Text),
        command.Parameters.Add("$gsi2sk", SqliteType.Text),
        command.Parameters.Add("$gsi3pk", SqliteType.Text),
        command.Parameters.Add("$gsi3sk", SqliteType.Text),
        command.Parameters.Add("$gsi4pk", SqliteType.Text),
        command.Parameters.Add("$gsi4sk", SqliteType.Text),
    ];

    public static void Bind(SqliteParameter[] parameters, Item item)
    {
        parameters[0].Value = item.Pk;
        parameters[1].Value = item.Sk;
        parameters[2].Value = item.Data;
        parameters[3].Value = item.Version;
        parameters[4].Value = item.UpdatedAt.UtcTicks;
        BindIndexKey(parameters, 5, item.Gsi1);
        BindIndexKey(parameters, 7, item.Gsi2);
        BindIndexKey(parameters, 9, item.Gsi3);
        BindIndexKey(parameters, 11, item.Gsi4);
    }

    /// <summary>Reads the item starting at column <paramref name="first"/>, or null when its pk is NULL (an outer join miss).</summary>
    public static Item? Read(SqliteDataReader reader, int first = 0)
    {
        if (reader.IsDBNull(first))
        {
            return null;
        }

        return new Item
        {
            Pk = reader.GetString(first),
            Sk = reader.GetString(first + 1),
            Data = reader.GetString(first + 2),
            Version = reader.GetInt64(first + 3),
            UpdatedAt = FromTicks(reader.GetInt64(first + 4)),
            Gsi1 = ReadIndexKey(reader, first + 5),
            Gsi2 = ReadIndexKey(reader, first + 7),
            Gsi3 = ReadIndexKey(reader, first + 9),
            Gsi4 = ReadIndexKey(reader, first + 11),
        };
    }

    // Ticks keep the full precision of the clock, so the item a write returns equals the one
    // read back later.
    public static DateTimeOffset FromTicks(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static void BindIndexKey(SqliteParameter[] parameters, int at, IndexKey? key)
    {
        parameters[at].Value = key is { } k ? k.Pk : DBNull.Value;
        parameters[at + 1].Value = key is { } s ? s.Sk : DBNull.Value;
    }

    private static IndexKey? ReadIndexKey(SqliteDataReader reader, int at) =>
        reader.IsDBNull(at) ? null : new IndexKey(reader.GetString(at), reader.GetString(at + 1));
}
