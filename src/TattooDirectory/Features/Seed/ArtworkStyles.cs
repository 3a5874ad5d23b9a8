using System.Globalization;
using System.Text;

namespace TattooDirectory.Features.Seed;

/// <summary>
/// One drawing per style, each recognisable at thumbnail size: blackwork is heavy black fill,
/// watercolour translucent washes, fine line hairlines, dotwork dot screens, and so on. Canvas
/// 1200 wide, centred on (600, cy); integers only, so output is identical on every platform.
/// </summary>
internal static class ArtworkStyles
{
    private const string Ink = "#111";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Draw(string styleId, StringBuilder b, ref SeedRandom r, int cy, string paper)
    {
        switch (styleId)
        {
            case "traditional": Traditional(b, ref r, cy); break;
            case "neo-traditional": NeoTraditional(b, ref r, cy); break;
            case "realism": Realism(b, ref r, cy); break;
            case "blackwork": Blackwork(b, ref r, cy, paper); break;
            case "fineline": FineLine(b, ref r, cy); break;
            case "japanese": Japanese(b, ref r, cy); break;
            case "geometric": Geometric(b, ref r, cy); break;
            case "watercolour": Watercolour(b, ref r, cy); break;
            case "dotwork": Dotwork(b, ref r, cy); break;
            case "tribal": Tribal(b, ref r, cy); break;
            case "illustrative": Illustrative(b, ref r, cy); break;
            case "lettering": Lettering(b, ref r, cy); break;
            case "minimalist": Minimalist(b, ref r, cy); break;
            case "new-school": NewSchool(b, ref r, cy); break;
            case "sketch": Sketch(b, ref r, cy); break;
            case "floral": Floral(b, ref r, cy); break;
            case "anime": Anime(b, ref r, cy); break;
            default: throw new ArgumentOutOfRangeException(nameof(styleId), styleId, "No artwork for this style.");
        }
    }

    // Dagger through a heart with a banner: bold outline, limited flat palette.
    private static void Traditional(StringBuilder b, ref SeedRandom r, int cy)
    {
        var heart = r.Pick(["#c62828", "#b71c1c", "#d84315"]);
        var banner = r.Pick(["#f2b705", "#f6d365", "#e9c46a"]);
        b.Append(Inv, $"""<g transform="rotate({r.Next(-12, 13)} 600 {cy})" stroke="{Ink}" stroke-width="22" stroke-linejoin="round">""");
        b.Append(Inv, $"""<rect x="570" y="{cy - 470}" width="60" height="150" rx="12" fill="#6d4c41"/><rect x="460" y="{cy - 330}" width="280" height="50" rx="20" fill="{banner}"/>""");
        b.Append(Inv, $"""<path d="M560,{cy - 280}H640V{cy + 330}L600,{cy + 470}L560,{cy + 330}Z" fill="#dfe6ea"/>""");
        b.Append(Inv, $"""<ellipse cx="400" cy="{cy + 200}" rx="110" ry="45" fill="#2e7d32" transform="rotate(-30 400 {cy + 200})"/><ellipse cx="800" cy="{cy + 200}" rx="110" ry="45" fill="#2e7d32" transform="rotate(30 800 {cy + 200})"/>""");
        b.Append(Inv, $"""<path d="M600,{cy + 250}C330,{cy + 60} 360,{cy - 230} 600,{cy - 90}C840,{cy - 230} 870,{cy + 60} 600,{cy + 250}Z" fill="{heart}"/>""");
        b.Append(Inv, $"""<path d="M270,{cy - 20}H930L880,{cy + 45}L930,{cy + 110}H270L320,{cy + 45}Z" fill="{banner}"/></g>""");
        for (var i = 0; i < 4; i++) b.Append(Inv, $"""<circle cx="{r.Next(80, 1120)}" cy="{cy + r.Next(-560, -420)}" r="{r.Next(10, 24)}" fill="{Ink}"/>""");
    }

    // Moth in an ornate jewelled medallion: traditional weight, richer palette.
    private static void NeoTraditional(StringBuilder b, ref SeedRandom r, int cy)
    {
        var ground = r.Pick(["#2f6f6f", "#4a2c5e", "#1f4e5a"]);
        var wing = r.Pick(["#7b2d43", "#9c4a1a", "#5e3a87"]);
        const string gold = "#c8963e";
        b.Append(Inv, $"""<circle cx="600" cy="{cy}" r="440" fill="{ground}" stroke="{Ink}" stroke-width="20"/><circle cx="600" cy="{cy}" r="360" fill="none" stroke="{gold}" stroke-width="26"/>""");
        var jewels = r.Pick([6, 8, 10, 12]);
        for (var k = 0; k < jewels; k++) b.Append(Inv, $"""<circle cx="600" cy="{cy - 400}" r="34" fill="{gold}" stroke="{Ink}" stroke-width="10" transform="rotate({k * 360 / jewels} 600 {cy})"/>""");
        var wingPath = string.Create(Inv, $"M600,{cy - 40}C430,{cy - 300} 250,{cy - 120} 380,{cy + 40}C250,{cy + 200} 450,{cy + 260} 600,{cy + 80}Z");
        b.Append(Inv, $"""<g fill="{wing}" stroke="{Ink}" stroke-width="16"><path d="{wingPath}"/><path d="{wingPath}" transform="matrix(-1 0 0 1 1200 0)"/></g>""");
        b.Append(Inv, $"""<circle cx="440" cy="{cy - 60}" r="40" fill="{gold}"/><circle cx="760" cy="{cy - 60}" r="40" fill="{gold}"/><ellipse cx="600" cy="{cy + 20}" rx="40" ry="150" fill="#3b2a1a" stroke="{Ink}" stroke-width="12"/>""");
    }

    // Eye study in soft greys: gradients instead of outlines.
    private static void Realism(StringBuilder b, ref SeedRandom r, int cy)
    {
        var iris = r.Pick(["#6b6b6b", "#4f4f4f", "#858585"]);
        var look = r.Next(-60, 61);
        b.Append(Inv, $"""<defs><radialGradient id="s" cx=".5" cy=".45" r=".6"><stop offset="0" stop-color="#d9d9d9"/><stop offset="1" stop-color="#5a5a5a"/></radialGradient><radialGradient id="i"><stop offset="0" stop-color="#111"/><stop offset=".4" stop-color="{iris}"/><stop offset="1" stop-color="#1c1c1c"/></radialGradient></defs>""");
        b.Append(Inv, $"""<ellipse cx="600" cy="{cy}" rx="540" ry="420" fill="url(#s)" opacity=".55"/>""");
        b.Append(Inv, $"""<path d="M180,{cy - 260}Q600,{cy - 520} 1030,{cy - 250}" fill="none" stroke="#2a2a2a" stroke-width="44" stroke-linecap="round" opacity=".8"/>""");
        b.Append(Inv, $"""<path d="M200,{cy - 60}Q600,{cy - 420} 1000,{cy - 60}" fill="none" stroke="#333" stroke-width="6" opacity=".6"/>""");
        b.Append(Inv, $"""<path d="M160,{cy}Q600,{cy - 360} 1040,{cy}Q600,{cy + 300} 160,{cy}Z" fill="#f4f4f4" stroke="#222" stroke-width="10"/>""");
        b.Append(Inv, $"""<circle cx="{600 + look}" cy="{cy}" r="165" fill="url(#i)"/><circle cx="{600 + look}" cy="{cy}" r="70" fill="#050505"/><circle cx="{650 + look}" cy="{cy - 55}" r="28" fill="#fff" opacity=".9"/>""");
    }

    // Heavy solid black: a triangle band, a crescent and a band with negative diamonds.
    private static void Blackwork(StringBuilder b, ref SeedRandom r, int cy, string paper)
    {
        var teeth = r.Next(6, 11);
        var width = 1000 / teeth;
        var depth = r.Next(100, 180);
        var d = new StringBuilder();
        for (var k = 0; k < teeth; k++) d.Append(Inv, $"M{100 + (k * width)},{cy - 420}l{width / 2},{depth}l{width / 2},{-depth}z");
        b.Append(Inv, $"""<path d="{d}" fill="{Ink}"/><rect x="100" y="{cy - 440}" width="1000" height="24" fill="{Ink}"/>""");
        b.Append(Inv, $"""<circle cx="600" cy="{cy}" r="250" fill="{Ink}"/><circle cx="{600 + r.Next(40, 120)}" cy="{cy - r.Next(20, 80)}" r="{r.Next(180, 225)}" fill="{paper}"/>""");
        b.Append(Inv, $"""<rect x="100" y="{cy + 300}" width="1000" height="130" fill="{Ink}"/>""");
        d.Clear();
        for (var x = 160; x < 1100; x += 120) d.Append(Inv, $"M{x},{cy + 365}l30,-40l30,40l-30,40z");
        b.Append(Inv, $"""<path d="{d}" fill="{paper}"/>""");
    }

    // A constellation and a crescent in single-needle hairlines.
    private static void FineLine(StringBuilder b, ref SeedRandom r, int cy)
    {
        var stars = r.Next(6, 10);
        var line = new StringBuilder();
        var dots = new StringBuilder();
        for (var k = 0; k < stars; k++)
        {
            var x = r.Next(200, 1000);
            var y = cy + r.Next(-380, 380);
            line.Append(Inv, $"{(k == 0 ? 'M' : 'L')}{x},{y}");
            dots.Append(Inv, $"""<circle cx="{x}" cy="{y}" r="7"/>""");
        }
        b.Append(Inv, $"""<g fill="none" stroke="#1a1a1a" stroke-width="3"><path d="{line}"/>""");
        var mx = r.Next(250, 950);
        var my = cy + r.Next(-420, -250);
        b.Append(Inv, $"""<path d="M{mx},{my - 90}A90,90 0 1 0 {mx},{my + 90}A70,70 0 1 1 {mx},{my - 90}Z"/>""");
        for (var k = 0; k < 3; k++) b.Append(Inv, $"""<path d="M{r.Next(150, 1050) - 14},{cy + r.Next(-500, 500)}h28m-14,-14v28" stroke-width="2"/>""");
        b.Append(Inv, $"""</g><g fill="#1a1a1a">{dots}</g>""");
    }

    // Red sun over rows of scalloped waves and a breaking crest.
    private static void Japanese(StringBuilder b, ref SeedRandom r, int cy)
    {
        b.Append(Inv, $"""<circle cx="{r.Next(760, 920)}" cy="{cy - 260}" r="{r.Next(180, 240)}" fill="#c0392b"/>""");
        b.Append(Inv, $"""<rect y="{cy + 330}" width="1200" height="{cy + 270}" fill="#1d3557"/>""");
        b.Append(Inv, $"""<path d="M100,{cy + 40}C250,{cy - 300} 600,{cy - 250} 560,{cy - 40}C520,{cy - 160} 380,{cy - 150} 330,{cy + 40}Z" fill="#1d3557" stroke="{Ink}" stroke-width="16"/>""");
        b.Append(Inv, $"""<g fill="#f1faee" stroke="{Ink}" stroke-width="18">""");
        for (var row = 0; row < 3; row++)
        {
            var y = cy + 90 + (row * 110);
            var start = -90 + (row % 2 * 90);
            var d = new StringBuilder().Append(Inv, $"M{start},{y}");
            for (var k = 0; k < 8; k++) d.Append("a90,90 0 0 1 180,0");
            b.Append(Inv, $"""<path d="{d}v120H{start}Z"/>""");
        }
        b.Append("</g>");
    }

    // Sacred geometry: rotated squares, opposed triangles, concentric rings.
    private static void Geometric(StringBuilder b, ref SeedRandom r, int cy)
    {
        var turns = r.Next(2, 7);
        b.Append(Inv, $"""<g fill="none" stroke="{Ink}" stroke-width="7"><circle cx="600" cy="{cy}" r="420"/><circle cx="600" cy="{cy}" r="{r.Next(280, 330)}"/>""");
        for (var k = 0; k < turns; k++) b.Append(Inv, $"""<rect x="340" y="{cy - 260}" width="520" height="520" transform="rotate({k * 90 / turns} 600 {cy})"/>""");
        b.Append(Inv, $"""<path d="M600,{cy - 420}L964,{cy + 210}H236Z"/><path d="M600,{cy + 420}L964,{cy - 210}H236Z"/></g><circle cx="600" cy="{cy}" r="{r.Next(20, 50)}" fill="{Ink}"/>""");
    }

    // Overlapping translucent washes with a single fine outline.
    private static void Watercolour(StringBuilder b, ref SeedRandom r, int cy)
    {
        string[] washes = ["#e76f51", "#2a9d8f", "#e9c46a", "#8e7dbe", "#f4a261", "#48cae4", "#ef476f", "#06d6a0"];
        var blobs = r.Next(6, 10);
        for (var k = 0; k < blobs; k++)
        {
            var x = r.Next(380, 820);
            var y = cy + r.Next(-260, 260);
            b.Append(Inv, $"""<ellipse cx="{x}" cy="{y}" rx="{r.Next(120, 300)}" ry="{r.Next(80, 220)}" fill="{r.Pick(washes)}" fill-opacity=".35" transform="rotate({r.Next(-60, 61)} {x} {y})"/>""");
        }
        for (var k = 0; k < 5; k++) b.Append(Inv, $"""<circle cx="{r.Next(150, 1050)}" cy="{cy + r.Next(-480, 480)}" r="{r.Next(6, 22)}" fill="{r.Pick(washes)}" fill-opacity=".5"/>""");
        b.Append(Inv, $"""<path d="M600,{cy - 380}C760,{cy - 200} 760,{cy + 200} 600,{cy + 380}C440,{cy + 200} 440,{cy - 200} 600,{cy - 380}ZM600,{cy - 380}V{cy + 460}" fill="none" stroke="#222" stroke-width="5"/>""");
    }

    // Rings of dot screens, densest at the centre, with a halo of larger dots.
    private static void Dotwork(StringBuilder b, ref SeedRandom r, int cy)
    {
        b.Append("<defs>");
        foreach (var (id, radius) in new[] { ("a", 9), ("b", 5), ("c", 2) })
        {
            b.Append(Inv, $"""<pattern id="{id}" width="28" height="28" patternUnits="userSpaceOnUse"><circle cx="14" cy="14" r="{radius}" fill="{Ink}"/></pattern>""");
        }
        b.Append("</defs>");
        b.Append(Inv, $"""<circle cx="600" cy="{cy}" r="460" fill="url(#c)"/><circle cx="600" cy="{cy}" r="{r.Next(320, 360)}" fill="url(#b)"/><circle cx="600" cy="{cy}" r="{r.Next(200, 240)}" fill="url(#a)"/><circle cx="600" cy="{cy}" r="{r.Next(70, 110)}" fill="{Ink}"/>""");
        var halo = r.Pick([8, 12, 18, 24]);
        for (var k = 0; k < halo; k++) b.Append(Inv, $"""<circle cx="600" cy="{cy - 510}" r="14" fill="{Ink}" transform="rotate({k * 360 / halo} 600 {cy})"/>""");
    }

    // Mirrored black swooshes around a central flame.
    private static void Tribal(StringBuilder b, ref SeedRandom r, int cy)
    {
        var swooshes = new StringBuilder();
        for (var k = 0; k < 3; k++)
        {
            var y = cy - 40 + (k * 130);
            var tipX = 130 + r.Next(0, 120);
            var tipY = cy - 360 + (k * 190) + r.Next(-40, 40);
            swooshes.Append(Inv, $"M560,{y}C420,{y - 40} 300,{y - 60} {tipX},{tipY}C320,{y + 10} 440,{y + 60} 560,{y + 70}Z");
        }
        b.Append(Inv, $"""<g fill="{Ink}"><path d="{swooshes}"/><path d="{swooshes}" transform="matrix(-1 0 0 1 1200 0)"/>""");
        var w = r.Next(60, 120);
        b.Append(Inv, $"""<path d="M600,{cy + 440}C{600 - (3 * w)},{cy + 200} {600 - (3 * w)},{cy - 80} {600 - w},{cy - 320}C{600 - w},{cy - 120} 580,{cy} 600,{cy + 100}C620,{cy} {600 + w},{cy - 120} {600 + w},{cy - 320}C{600 + (3 * w)},{cy - 80} {600 + (3 * w)},{cy + 200} 600,{cy + 440}Z"/></g>""");
    }

    // Etching: hatched mountains under a cross-hatched moon, in a frame.
    private static void Illustrative(StringBuilder b, ref SeedRandom r, int cy)
    {
        b.Append(Inv, $"""<defs><pattern id="h" width="18" height="18" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="18" fill="#222"/></pattern><pattern id="k" width="14" height="14" patternUnits="userSpaceOnUse" patternTransform="rotate(-30)"><rect width="3" height="14" fill="#222"/></pattern></defs>""");
        b.Append(Inv, $"""<rect x="60" y="{cy - 520}" width="1080" height="1040" fill="none" stroke="{Ink}" stroke-width="8"/>""");
        b.Append(Inv, $"""<circle cx="{r.Next(300, 900)}" cy="{cy - 280}" r="{r.Next(110, 170)}" fill="url(#k)" stroke="{Ink}" stroke-width="8"/>""");
        b.Append(Inv, $"""<path d="M80,{cy + 380}L{r.Next(250, 400)},{cy - r.Next(60, 180)}L{r.Next(480, 560)},{cy + 120}L{r.Next(650, 850)},{cy - r.Next(100, 240)}L1120,{cy + 380}Z" fill="url(#h)" stroke="{Ink}" stroke-width="10" stroke-linejoin="round"/>""");
        b.Append(Inv, $"""<path d="M80,{cy + 420}H1120M160,{cy + 460}H1040" stroke="{Ink}" stroke-width="6"/>""");
    }

    // A word in script with a flourish underneath.
    private static void Lettering(StringBuilder b, ref SeedRandom r, int cy)
    {
        var word = r.Pick(SeedText.LetteringWords);
        var font = r.Pick(["Georgia,serif", "'Brush Script MT',cursive", "Impact,sans-serif", "'Times New Roman',serif"]);
        var size = word.Length > 8 ? 150 : 210;
        b.Append(Inv, $"""<text x="600" y="{cy + 60}" text-anchor="middle" font-family="{font}" font-size="{size}" font-style="italic" fill="{Ink}">{Artwork.Escape(word)}</text>""");
        b.Append(Inv, $"""<path d="M220,{cy + 150}C420,{cy + 230} 780,{cy + 70} 980,{cy + 160}M520,{cy - 170}c40,-60 120,-60 160,0" fill="none" stroke="{Ink}" stroke-width="10" stroke-linecap="round"/>""");
        b.Append(Inv, $"""<circle cx="{r.Next(200, 1000)}" cy="{cy - 260}" r="12" fill="#c0392b"/>""");
    }

    // One small line motif and a great deal of empty skin.
    private static void Minimalist(StringBuilder b, ref SeedRandom r, int cy)
    {
        var motif = r.Next(5) switch
        {
            0 => $"M600,{cy + 70}C520,{cy + 10} 520,{cy - 60} 600,{cy - 30}C680,{cy - 60} 680,{cy + 10} 600,{cy + 70}Z",
            1 => $"M480,{cy}q30,-40 60,0t60,0t60,0t60,0",
            2 => $"M470,{cy + 60}L550,{cy - 40}L600,{cy + 10}L660,{cy - 70}L730,{cy + 60}",
            3 => $"M480,{cy + 20}L720,{cy - 60}L620,{cy + 80}L590,{cy + 30}ZM590,{cy + 30}L720,{cy - 60}",
            _ => $"M600,{cy - 60}A60,60 0 1 0 600.1,{cy - 60}",
        };
        b.Append(Inv, $"""<path d="{motif}" fill="none" stroke="{Ink}" stroke-width="6" stroke-linejoin="round" stroke-linecap="round"/><circle cx="{r.Next(560, 640)}" cy="{cy + 130}" r="6" fill="{Ink}"/>""");
    }

    // Cartoon ghost: loud colour, thick outlines, huge eyes.
    private static void NewSchool(StringBuilder b, ref SeedRandom r, int cy)
    {
        var burst = r.Pick(["#ff4fa3", "#36d6e7", "#b6f500", "#ffd23f", "#8a4fff"]);
        var body = r.Pick(["#ffffff", "#c8f7ff", "#fff3b0"]);
        b.Append(Inv, $"""<circle cx="600" cy="{cy}" r="470" fill="{burst}" stroke="{Ink}" stroke-width="20"/>""");
        b.Append(Inv, $"""<path d="M380,{cy + 300}V{cy - 60}C380,{cy - 360} 820,{cy - 360} 820,{cy - 60}V{cy + 300}l-55,-60l-55,60l-55,-60l-55,60l-55,-60l-55,60l-55,-60z" fill="{body}" stroke="{Ink}" stroke-width="20" stroke-linejoin="round"/>""");
        foreach (var x in new[] { 520, 680 })
        {
            b.Append(Inv, $"""<ellipse cx="{x}" cy="{cy - 60}" rx="60" ry="80" fill="#fff" stroke="{Ink}" stroke-width="12"/><circle cx="{x + 15}" cy="{cy - 45}" r="30" fill="{Ink}"/><circle cx="{x + 25}" cy="{cy - 60}" r="10" fill="#fff"/>""");
        }
        b.Append(Inv, $"""<path d="M540,{cy + 90}Q600,{cy + 160} 660,{cy + 90}Z" fill="#ff4fa3" stroke="{Ink}" stroke-width="12" stroke-linejoin="round"/>""");
    }

    // Loose, searching pencil lines over construction guides.
    private static void Sketch(StringBuilder b, ref SeedRandom r, int cy)
    {
        b.Append(Inv, $"""<g fill="none" stroke="#333" stroke-linecap="round"><path d="M150,{cy}H1050M600,{cy - 450}V{cy + 450}" stroke-width="2" opacity=".3"/>""");
        for (var k = 0; k < 5; k++)
        {
            b.Append(Inv, $"""<ellipse cx="{600 + r.Next(-25, 26)}" cy="{cy + r.Next(-25, 26)}" rx="{r.Next(280, 330)}" ry="{r.Next(260, 320)}" stroke-width="{r.Next(2, 6)}" opacity=".6" transform="rotate({r.Next(-20, 21)} 600 {cy})"/>""");
        }
        var hatch = new StringBuilder();
        for (var k = 0; k < 14; k++) hatch.Append(Inv, $"M{700 + (k * 18)},{cy + 260 - (k * 6)}l50,-50");
        b.Append(Inv, $"""<path d="{hatch}" stroke-width="3" opacity=".7"/><path d="M{r.Next(380, 460)},{cy - 40}Q600,{cy - r.Next(160, 260)} {r.Next(740, 820)},{cy - 40}Q600,{cy + r.Next(60, 140)} 420,{cy - 40}" stroke-width="4"/></g>""");
    }

    // A flower head of rotated petals on a leafy stem.
    private static void Floral(StringBuilder b, ref SeedRandom r, int cy)
    {
        var petal = r.Pick(["#e63946", "#f4a6b7", "#ffb703", "#c77dff", "#ff8fab"]);
        var petals = r.Pick([5, 6, 8, 9, 10]);
        var fy = cy - 20;
        b.Append(Inv, $"""<path d="M600,{cy + 100}V{cy + 540}" stroke="#2d6a4f" stroke-width="22"/><g fill="#2d6a4f" stroke="{Ink}" stroke-width="10"><ellipse cx="450" cy="{cy + 300}" rx="150" ry="55" transform="rotate(-35 450 {cy + 300})"/><ellipse cx="750" cy="{cy + 380}" rx="150" ry="55" transform="rotate(35 750 {cy + 380})"/></g>""");
        b.Append(Inv, $"""<g fill="{petal}" stroke="{Ink}" stroke-width="10">""");
        for (var k = 0; k < petals; k++) b.Append(Inv, $"""<ellipse cx="600" cy="{fy - 170}" rx="90" ry="170" transform="rotate({k * 360 / petals} 600 {fy})"/>""");
        b.Append(Inv, $"""</g><circle cx="600" cy="{fy}" r="{r.Next(70, 95)}" fill="#ffd166" stroke="{Ink}" stroke-width="10"/>""");
    }

    // A big-eyed character head.
    private static void Anime(StringBuilder b, ref SeedRandom r, int cy)
    {
        var hair = r.Pick(["#2b2d42", "#ff70a6", "#4cc9f0", "#8338ec", "#f9c74f"]);
        var eye = r.Pick(["#3a86ff", "#06d6a0", "#ef476f", "#8338ec"]);
        b.Append(Inv, $"""<g stroke="{Ink}"><path d="M300,{cy + 300}C250,{cy - 300} 950,{cy - 300} 900,{cy + 300}Z" fill="{hair}" stroke-width="12"/>""");
        b.Append(Inv, $"""<path d="M380,{cy - 120}C380,{cy + 260} 520,{cy + 360} 600,{cy + 380}C680,{cy + 360} 820,{cy + 260} 820,{cy - 120}Z" fill="#ffe3cf" stroke-width="10"/>""");
        b.Append(Inv, $"""<path d="M340,{cy - 80}L420,{cy - 360}L470,{cy - 120}L540,{cy - 400}L580,{cy - 110}L660,{cy - 400}L700,{cy - 120}L780,{cy - 360}L860,{cy - 80}C860,{cy - 420} 340,{cy - 420} 340,{cy - 80}Z" fill="{hair}" stroke-width="10"/>""");
        foreach (var x in new[] { 510, 690 })
        {
            b.Append(Inv, $"""<ellipse cx="{x}" cy="{cy + 60}" rx="62" ry="90" fill="#fff" stroke-width="8"/><ellipse cx="{x + 5}" cy="{cy + 75}" rx="45" ry="70" fill="{eye}" stroke="none"/><ellipse cx="{x + 5}" cy="{cy + 80}" rx="20" ry="34" fill="{Ink}" stroke="none"/><circle cx="{x + 22}" cy="{cy + 45}" r="14" fill="#fff" stroke="none"/>""");
        }
        b.Append(Inv, $"""<path d="M575,{cy + 250}Q600,{cy + 270} 625,{cy + 250}" fill="none" stroke-width="6"/></g><g fill="#ff8fab" opacity=".6"><ellipse cx="450" cy="{cy + 190}" rx="40" ry="16"/><ellipse cx="750" cy="{cy + 190}" rx="40" ry="16"/></g>""");
    }
}
