namespace PcapLab.Notebook.Magics;

/// <summary>Parses magic lines command-line style: double or single quotes, <c>--flag</c>, <c>--opt value</c>,
/// <c>--opt=value</c>, <c>-o value</c>, positional values, <c>-h/--help</c>, and <c>@name</c> session variables.</summary>
public static class MagicParser
{
    /// <summary>A token of a magic line; <paramref name="Quoted"/> tokens are never options or variables.</summary>
    public readonly record struct Token(string Text, bool Quoted, int Start);

    /// <summary>True when a cell's first line is a magic line (<c>#!</c> at the start of the line).</summary>
    public static bool IsMagicLine(string line) => line.StartsWith("#!", StringComparison.Ordinal) && line.Length > 2 && !char.IsWhiteSpace(line[2]);

    /// <summary>Splits a cell into its first magic line's name and arguments and the rest of the cell; false when the
    /// first line is not a magic line.</summary>
    public static bool TrySplitCell(string cell, out string name, out string arguments, out string body)
    {
        name = arguments = body = "";
        int eol = cell.IndexOf('\n');
        var first = (eol < 0 ? cell : cell[..eol]).TrimEnd('\r');
        if (!IsMagicLine(first)) return false;
        int sp = 2;
        while (sp < first.Length && !char.IsWhiteSpace(first[sp])) sp++;
        name = first[2..sp];
        arguments = first[sp..].Trim();
        body = eol < 0 ? "" : cell[(eol + 1)..];
        return true;
    }

    /// <summary>Splits an argument line into tokens; an unterminated quote is a usage error.</summary>
    public static List<Token> Tokenize(string magic, string line)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < line.Length)
        {
            if (char.IsWhiteSpace(line[i])) { i++; continue; }
            int start = i;
            var sb = new System.Text.StringBuilder();
            bool quoted = false;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                char c = line[i];
                if (c is '"' or '\'')
                {
                    quoted = true;
                    int close = i + 1;
                    while (close < line.Length && line[close] != c)
                    {
                        // inside double quotes, \" and \\ escape; single quotes are literal
                        if (c == '"' && line[close] == '\\' && close + 1 < line.Length && line[close + 1] is '"' or '\\') close++;
                        sb.Append(line[close]);
                        close++;
                    }
                    if (close >= line.Length)
                        throw new MagicUsageException(magic, $"unterminated {(c == '"' ? "double" : "single")} quote at column {i + 1}");
                    i = close + 1;
                }
                else { sb.Append(c); i++; }
            }
            tokens.Add(new Token(sb.ToString(), quoted, start));
        }
        return tokens;
    }

    /// <summary>Binds a magic line's arguments to the magic's definition. <paramref name="resolveVariable"/> looks up
    /// <c>@name</c> values (false: unknown variable). Throws <see cref="MagicUsageException"/> naming the unknown option,
    /// the missing value or the unknown variable.</summary>
    public static MagicInvocation Parse(IMagic magic, string arguments, string body, int bodyLine,
        Func<string, (bool Found, object? Value)> resolveVariable)
    {
        var inv = new MagicInvocation(magic.Name, arguments, body, bodyLine);
        var tokens = Tokenize(magic.Name, arguments);
        if (tokens.Any(t => !t.Quoted && t.Text is "-h" or "--help")) { inv.HelpRequested = true; return inv; }

        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (!t.Quoted && IsOptionToken(t.Text))
            {
                string spelled = t.Text, name, inline = "";
                bool hasInline = false;
                if (spelled.StartsWith("--", StringComparison.Ordinal))
                {
                    int eq = spelled.IndexOf('=');
                    name = eq < 0 ? spelled[2..] : spelled[2..eq];
                    if (eq >= 0) { inline = spelled[(eq + 1)..]; hasInline = true; spelled = spelled[..eq]; }
                }
                else name = spelled[1..];
                var opt = magic.Options.FirstOrDefault(o => spelled.StartsWith("--", StringComparison.Ordinal) ? o.Name == name : o.ShortName == name)
                    ?? throw new MagicUsageException(magic.Name, $"unknown option '{spelled}' for #!{magic.Name}"
                        + (magic.Options.Count > 0 ? " (valid: " + string.Join(", ", magic.Options.Select(o => "--" + o.Name)) + ")" : " (it takes no options)"));
                if (opt.IsFlag)
                {
                    if (hasInline) throw new MagicUsageException(magic.Name, $"option '--{opt.Name}' is a flag and takes no value");
                    inv.Flags.Add(opt.Name);
                    continue;
                }
                Token valueToken;
                if (hasInline) valueToken = new Token(inline, false, t.Start);
                else if (i + 1 < tokens.Count && (tokens[i + 1].Quoted || !IsOptionToken(tokens[i + 1].Text))) valueToken = tokens[++i];
                else throw new MagicUsageException(magic.Name, $"option '{spelled}' needs a value <{opt.ValueName}>");
                inv.Options[opt.Name] = Value(magic, valueToken, resolveVariable);
            }
            else inv.Positionals.Add(Value(magic, t, resolveVariable));
        }

        foreach (var o in magic.Options.Where(o => o.Required && !inv.Options.ContainsKey(o.Name)))
            throw new MagicUsageException(magic.Name, $"missing required option '--{o.Name} <{o.ValueName}>'");
        var args = magic.Arguments;
        bool variadic = args.Count > 0 && args[^1].Variadic;
        if (!variadic && inv.Positionals.Count > args.Count)
            throw new MagicUsageException(magic.Name, $"unexpected argument '{inv.Positionals[args.Count].Text}'"
                + (args.Count == 0 ? $" (#!{magic.Name} takes no positional arguments)" : ""));
        for (int k = inv.Positionals.Count; k < args.Count; k++)
            if (args[k].Required) throw new MagicUsageException(magic.Name, $"missing argument <{args[k].Name}>");
        return inv;
    }

    // "-5" and "-" are values, not options.
    private static bool IsOptionToken(string s) =>
        s.Length > 1 && s[0] == '-' && !char.IsDigit(s[1]) && s[1] != '.' && !(s.Length == 2 && s[1] == '-');

    private static MagicValue Value(IMagic magic, Token t, Func<string, (bool Found, object? Value)> resolve)
    {
        if (t.Quoted || t.Text.Length < 2 || t.Text[0] != '@') return new MagicValue(t.Text, t.Text);
        var name = t.Text[1..];
        var (found, value) = resolve(name);
        if (!found) throw new MagicUsageException(magic.Name, $"unknown variable '@{name}': no C# variable or stored value has that name (see #!who)");
        return new MagicValue(Display.Formatter.ToInvariantString(value), value, name);
    }
}
