using Streaming.Shards.Specs;
using Streaming.Shards.Specs.Yaml;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Specs;

public class ConfigOverridesTests
{
    private const string Spec = "name: s\nmodality: CT\ntargetSpacing: [1, 1, 2]\ncrop:\n  margin: 2\n";

    [Fact]
    public void Overrides_replace_and_add_keys_with_yaml_values_and_change_the_cache_key()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("s.yaml"), Spec);
        var plain = SpecLoader.Load(t.Path("s.yaml"));
        var over = SpecLoader.Load(t.Path("s.yaml"), ["targetSpacing=[1.5, 1.5, 3]", "crop.margin=5", "shard.zstdLevel=7", "name='007'"]);
        Assert.Equal(1.5, over.TargetSpacing.X);
        Assert.Equal(3, over.TargetSpacing.Z);
        Assert.Equal(5, over.Crop.Margin);
        Assert.Equal(7, over.Shard.ZstdLevel);
        Assert.Equal("007", over.Name);
        Assert.Equal(plain.Crop.MinShape, over.Crop.MinShape); // untouched keys stay
        Assert.NotEqual(SpecHasher.Key(plain), SpecHasher.Key(over));
    }

    [Fact]
    public void A_wrong_key_or_value_is_one_line_naming_the_override()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("s.yaml"), Spec);
        var typo = Assert.Throws<InvalidDataException>(() => SpecLoader.Load(t.Path("s.yaml"), ["crop.margn=3"]));
        Assert.Equal("--set crop.margn=3: unknown key 'crop.margn'; did you mean 'crop.margin'?", typo.Message);
        var type = Assert.Throws<InvalidDataException>(() => SpecLoader.Load(t.Path("s.yaml"), ["crop.margin=wide"]));
        Assert.Contains("--set crop.margin=wide", type.Message);
        Assert.Contains("crop.margin must be a whole number", type.Message);
        Assert.Throws<ArgumentException>(() => ConfigOverrides.Apply(ConfigYaml.Parse(Spec, "s"), ["margin"]));
        var scalar = Assert.Throws<InvalidDataException>(() => ConfigOverrides.Apply(ConfigYaml.Parse(Spec, "s"), ["name.first=x"]));
        Assert.Contains("'name' is 's', not a mapping", scalar.Message);
    }
}
