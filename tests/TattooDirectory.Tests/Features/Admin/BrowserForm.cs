using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>
/// A form of a parsed page, filled in and sent as a browser sends it: only the controls a browser
/// would (the ticked boxes, the chosen radio button, text areas, hidden fields), encoded as the
/// form's enctype says, to the form's own action.
/// </summary>
internal sealed class BrowserForm(IHtmlFormElement form)
{
    private readonly List<KeyValuePair<string, string>> _extra = [];

    public string Action => form.GetAttribute("action") ?? "";

    public static BrowserForm Of(IDocument page, string selector) =>
        new(page.QuerySelector(selector) as IHtmlFormElement ?? throw new Xunit.Sdk.XunitException($"No form matches '{selector}'."));

    /// <summary>Types into the text field or text area called <paramref name="name"/>; a name the form lacks is sent anyway, as a crafted post would.</summary>
    public BrowserForm Set(string name, string value)
    {
        var controls = Named(name).ToList();
        if (controls.Count == 0) _extra.Add(new(name, value));
        foreach (var control in controls)
        {
            switch (control)
            {
                case IHtmlTextAreaElement area: area.Value = value; break;
                case IHtmlInputElement input: input.Value = value; break;
            }
        }
        return this;
    }

    /// <summary>Chooses the radio button with this value (unchoosing the others of its group).</summary>
    public BrowserForm Choose(string name, string value)
    {
        foreach (var radio in Named(name).OfType<IHtmlInputElement>()) radio.IsChecked = radio.Value == value;
        return this;
    }

    /// <summary>Ticks the checkbox with this value.</summary>
    public BrowserForm Tick(string name, string value)
    {
        var box = Named(name).OfType<IHtmlInputElement>().SingleOrDefault(b => b.Value == value)
            ?? throw new Xunit.Sdk.XunitException($"The form has no '{name}' checkbox with the value '{value}'.");
        box.IsChecked = true;
        return this;
    }

    /// <summary>What the browser would send, in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values
    {
        get
        {
            var values = new List<KeyValuePair<string, string>>();
            foreach (var element in form.Elements)
            {
                var name = element.GetAttribute("name");
                if (string.IsNullOrEmpty(name) || element.HasAttribute("disabled")) continue;
                switch (element)
                {
                    case IHtmlInputElement { Type: "checkbox" or "radio", IsChecked: false }:
                    case IHtmlInputElement { Type: "submit" or "button" or "image" or "reset" or "file" }:
                    case IHtmlButtonElement:
                        break;
                    case IHtmlInputElement input:
                        values.Add(new(name, input.Value));
                        break;
                    case IHtmlTextAreaElement area:
                        values.Add(new(name, area.Value));
                        break;
                    case IHtmlSelectElement select:
                        values.AddRange(select.Options.Where(o => o.IsSelected).Select(o => new KeyValuePair<string, string>(name, o.Value)));
                        break;
                }
            }
            return [.. values, .. _extra];
        }
    }

    public HttpContent ToContent()
    {
        if (!string.Equals(form.GetAttribute("enctype"), "multipart/form-data", StringComparison.OrdinalIgnoreCase)) return new FormUrlEncodedContent(Values);
        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in Values)
        {
            var part = new StringContent(value);
            // Browsers send a part per field with no content type of its own.
            part.Headers.ContentType = null;
            multipart.Add(part, name);
        }
        return multipart;
    }

    private IEnumerable<IElement> Named(string name) => form.Elements.Where(e => e.GetAttribute("name") == name);
}
