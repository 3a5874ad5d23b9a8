using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;

namespace TattooDirectory.Tests.Core;

public sealed class GazetteerTests
{
    private static readonly string[] SeedCities = ["Leeds", "Manchester", "London", "Birmingham", "Glasgow"];

    private static Gazetteer Gazetteer => Gazetteer.Default;

    [Theory]
    [InlineData("Leeds", "Leeds")]
    [InlineData("leeds", "Leeds")]
    [InlineData("  LEEDS  ", "Leeds")]
    [InlineData("Leeds, UK", "Leeds")]
    [InlineData("Leeds UK", "Leeds")]
    [InlineData("Leeds, West Yorkshire, England", "Leeds")]
    [InlineData("Newcastle", "Newcastle upon Tyne")]
    [InlineData("newcastle-upon-tyne", "Newcastle upon Tyne")]
    [InlineData("Newcastle-under-Lyme", "Newcastle-under-Lyme")]
    [InlineData("St Albans", "St Albans")]
    [InlineData("St. Albans", "St Albans")]
    [InlineData("Saint Albans", "St Albans")]
    [InlineData("Kings Lynn", "King's Lynn")]
    [InlineData("King’s Lynn", "King's Lynn")]
    [InlineData("Bo’ness", "Bo'ness")]
    [InlineData("Édinburgh", "Edinburgh")]
    [InlineData("Caerdydd", "Cardiff")]
    [InlineData("Hull", "Kingston upon Hull")]
    [InlineData("Brighton & Hove", "Brighton and Hove")]
    [InlineData("Derry~Londonderry", "Derry")]
    [InlineData("Bangor", "Bangor")]
    [InlineData("Bangor, Northern Ireland", "Bangor (County Down)")]
    [InlineData("Stoke on Trent", "Stoke-on-Trent")]
    [InlineData("Salford", "Salford")]
    public void Cities_and_towns_resolve_whatever_the_spelling(string text, string expected)
    {
        Assert.True(Gazetteer.TryResolve(text, out var place));
        Assert.Equal(expected, place.Name);
        Assert.NotEqual(PlaceKind.PostcodeDistrict, place.Kind);
        Assert.Equal(place.Name, place.City);
    }

    [Theory]
    [InlineData("LS6", "LS6", "Leeds")]
    [InlineData("ls6", "LS6", "Leeds")]
    [InlineData("LS6 3AB", "LS6", "Leeds")]
    [InlineData("ls63ab", "LS6", "Leeds")]
    [InlineData("LS6 3", "LS6", "Leeds")]
    [InlineData("Leeds LS6", "LS6", "Leeds")]
    [InlineData("Headingley, Leeds", "LS6", "Leeds")]
    [InlineData("Headingley", "LS6", "Leeds")]
    [InlineData("M1 1AE", "M1", "Manchester")]
    [InlineData("SW1A 1AA", "SW1A", "London")]
    [InlineData("E1W 1AA", "E1W", "London")]
    [InlineData("EC1V 9HX", "EC1V", "London")]
    [InlineData("B5 4BU", "B5", "Birmingham")]
    [InlineData("G12 8QQ", "G12", "Glasgow")]
    public void Postcodes_and_neighbourhoods_resolve_to_their_district(string text, string district, string city)
    {
        Assert.True(Gazetteer.TryResolve(text, out var place));
        Assert.Equal(PlaceKind.PostcodeDistrict, place.Kind);
        Assert.Equal(district, place.Name);
        Assert.Equal(city, place.City);
    }

    [Theory]
    [InlineData("W1", "W1D")]
    [InlineData("EC1", "EC1M")]
    [InlineData("sw1", "SW1A")]
    public void An_undivided_central_London_district_resolves_near_its_sub_districts(string text, string subDistrict)
    {
        Assert.True(Gazetteer.TryResolve(text, out var parent));
        Assert.True(Gazetteer.TryResolve(subDistrict, out var child));
        Assert.Equal("London", parent.City);
        Assert.True(GeoMath.DistanceKm(parent.Location, child.Location) < 2);
    }

    [Fact]
    public void LS6_is_in_Headingley()
    {
        Assert.True(Gazetteer.TryResolve("LS6", out var place));
        Assert.Equal("Headingley", place.Locality);
        Assert.InRange(GeoMath.DistanceKm(place.Location, new GeoPoint(53.82, -1.58)), 0, 3);
    }

    [Fact]
    public void A_district_outside_its_city_keeps_its_own_post_town()
    {
        Assert.True(Gazetteer.TryResolve("LS29 9DZ", out var place));
        Assert.Equal("Leeds", place.City);
        Assert.Equal("Ilkley", place.PostTown);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Atlantis")]
    [InlineData("asdfghjkl qwerty")]
    [InlineData("!!!%%%")]
    [InlineData("12345")]
    [InlineData("😀🔥")]
    [InlineData("City Centre")]
    [InlineData("ZZ9 9ZZ")]
    [InlineData("title:leeds OR *")]
    [InlineData("\0\u0001\u200b")]
    public void Unknown_or_garbage_text_does_not_resolve(string? text) => Assert.False(Gazetteer.TryResolve(text, out _));

    [Fact]
    public void Text_longer_than_a_hundred_characters_is_rejected_even_when_it_names_a_city() =>
        Assert.False(Gazetteer.TryResolve("Leeds" + new string(' ', 96) + "x", out _));

    [Fact]
    public void The_gazetteer_knows_at_least_a_hundred_cities_and_towns_with_unique_names()
    {
        Assert.True(Gazetteer.Cities.Count >= 100, $"only {Gazetteer.Cities.Count}");
        Assert.All(Gazetteer.Cities, c => Assert.True(c.Kind is PlaceKind.City or PlaceKind.Town));
        Assert.Equal(Gazetteer.Cities.Count, Gazetteer.Cities.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        string[] named = ["Leeds", "Manchester", "London", "Birmingham", "Glasgow", "Bradford", "Wakefield", "Harrogate", "York",
            "Huddersfield", "Sheffield", "Liverpool", "Salford", "Edinburgh", "Cardiff", "Belfast"];
        Assert.All(named, n => Assert.Contains(Gazetteer.Cities, c => c.Name == n));
    }

    [Fact]
    public void Every_city_and_town_resolves_by_its_own_name_to_itself()
    {
        Assert.All(Gazetteer.Cities, c =>
        {
            Assert.True(Gazetteer.TryResolve(c.Name, out var place), c.Name);
            Assert.Same(c, place);
        });
    }

    [Fact]
    public void Every_district_belongs_to_one_of_the_five_seed_cities_and_lies_near_it()
    {
        foreach (var city in SeedCities)
        {
            Assert.True(Gazetteer.TryResolve(city, out var centre));
            var districts = Gazetteer.DistrictsOf(city);
            Assert.NotEmpty(districts);
            Assert.All(districts, d =>
            {
                Assert.Equal(city, d.City);
                Assert.Equal(PlaceKind.PostcodeDistrict, d.Kind);
                Assert.False(string.IsNullOrWhiteSpace(d.Locality));
                // A typo in a coordinate would put the district far from its city.
                Assert.True(GeoMath.DistanceKm(centre.Location, d.Location) < 35, $"{d.Name} is too far from {city}");
            });
        }
        var all = SeedCities.SelectMany(Gazetteer.DistrictsOf).ToList();
        Assert.Equal(all.Count, all.Select(d => d.Name).Distinct().Count());
        Assert.True(all.Count >= 300, $"only {all.Count} districts");
    }

    [Fact]
    public void Districts_of_a_city_are_found_case_insensitively_and_in_order()
    {
        var leeds = Gazetteer.DistrictsOf("leeds").Select(d => d.Name).ToList();
        Assert.Equal(Enumerable.Range(1, 29).Select(n => $"LS{n}"), leeds);
        Assert.Equal(leeds, Gazetteer.DistrictsOf("Leeds, UK").Select(d => d.Name));
        Assert.Empty(Gazetteer.DistrictsOf("Atlantis"));
        Assert.Empty(Gazetteer.DistrictsOf("York"));
    }

    [Fact]
    public void London_has_its_lettered_central_sub_districts()
    {
        var london = Gazetteer.DistrictsOf("London").Select(d => d.Name).ToHashSet();
        string[] expected = ["E1W", "EC1A", "EC4Y", "WC1X", "WC2R", "SW1A", "SW1Y", "W1A", "W1W", "N22", "NW11", "SE28", "SW20", "W14", "E20"];
        Assert.All(expected, code => Assert.Contains(code, london));
    }

    [Fact]
    public void The_default_gazetteer_is_loaded_once() => Assert.Same(Gazetteer.Default, Gazetteer.Default);
}
