using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Streaming.Evaluation.Reports;

/// <summary>
/// Class names for reports ("liver", not "class 115"), read from an nnU-Net <c>dataset.json</c> (v2:
/// <c>"labels": {"liver": 1}</c>; v1: <c>"labels": {"1": "liver"}</c>; region-based entries with a list of ids are
/// skipped) or from a labels file: one label per line as <c>1 liver</c>, <c>1: liver</c>, <c>1,liver</c>, or an
/// ITK-SNAP label description (<c>1 255 0 0 1 1 1 "liver"</c>). Lines starting with # are comments.
/// </summary>
public static partial class LabelNames
{
    public static IReadOnlyDictionary<int, string> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: label names file not found", path);
        var names = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(path) : FromText(path);
        if (names.Count == 0) throw new InvalidDataException($"{path}: no label names found (expected nnU-Net dataset.json \"labels\" or lines like '1 liver')");
        return names;
    }

    private static Dictionary<int, string> FromJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: no \"labels\" object (nnU-Net dataset.json)");
        var names = new Dictionary<int, string>();
        foreach (var p in labels.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var id)) Add(names, id, p.Name, path);          // v2: name → id
            else if (p.Value.ValueKind == JsonValueKind.String && int.TryParse(p.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id1))
                Add(names, id1, p.Value.GetString()!, path);                                                                           // v1: "id" → name
            // Region-based labels (a list of ids) name no single class.
        }
        return names;
    }

    private static Dictionary<int, string> FromText(string path)
    {
        var names = new Dictionary<int, string>();
        var n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var m = ItkSnap().Match(line);
            if (!m.Success) m = Plain().Match(line);
            if (!m.Success || !int.TryParse(m.Groups["id"].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                throw new InvalidDataException($"{path}:{n}: expected 'ID NAME' (e.g. '1 liver'), got '{line}'");
            Add(names, id, m.Groups["name"].Value.Trim(), path);
        }
        return names;
    }

    private static void Add(Dictionary<int, string> names, int id, string name, string path)
    {
        if (!names.TryAdd(id, name)) throw new InvalidDataException($"{path}: label {id} named twice ('{names[id]}', '{name}')");
    }

    [GeneratedRegex("""^(?<id>-?\d+)\s+(?:[-\d.]+\s+){6}"(?<name>[^"]*)"$""")]
    private static partial Regex ItkSnap();

    [GeneratedRegex("""^(?<id>-?\d+)\s*[:,=\t ]\s*"?(?<name>[^"]+?)"?$""")]
    private static partial Regex Plain();
}
