using System.Collections.Generic;
using System.Text.RegularExpressions;
using Pluma.Config;
using Pluma.Config.Expressions;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Headers;

/// <summary>
/// mod_headers' Header directive: set, setifempty, add, append, merge, unset, echo, edit, edit*
/// and note on the response's fields, onsuccess or always, with env=[!]VAR, expr= or early.
/// Values take %t, %D, %{VAR}e and %{VAR}s. A directory without Header costs one list check per
/// request (insert_filter). RequestHeader (set, setifempty, add, append, merge, unset, edit,
/// edit*) edits the request's fields in fixups, or "early" in post_read_request. A value written
/// as expr=... is an ap_expr string expression, evaluated per request.
/// </summary>
public static class HeadersModule
{
    public const string Name = "headers_module";

    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromSeconds(1);

    public static HttpModule Create()
    {
        ModuleDescriptor? self = null;
        var descriptor = new ModuleDescriptor(Name, "mod_headers.c", () =>
        [
            new DirectiveDefinition("Header", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
                "an optional condition, an action, header and value followed by optional env clause", call => SetHeader(call, input: false)),
            new DirectiveDefinition("RequestHeader", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
                "an action, header and value followed by optional env clause", call => SetHeader(call, input: true)),
        ])
        {
            CreateDirConfig = _ => new HeadersDirConfig(),
            MergeDirConfig = (b, a) => HeadersDirConfig.Merge((HeadersDirConfig)b, (HeadersDirConfig)a),
        };
        self = descriptor;
        return new HttpModule(descriptor)
        {
            PostReadRequest = r => FixupIn(r, self, early: true),
            Fixups = r => FixupIn(r, self, early: false),
            InsertFilter = r => InsertFilter(r, self),
            InsertErrorFilter = r => InsertErrorFilter(r, self),
        };
    }

    /// <summary>ap_headers_fixup (and ap_headers_early's request half): RequestHeader entries edit the request's fields.</summary>
    private static int FixupIn(RequestRecord r, ModuleDescriptor descriptor, bool early)
    {
        HeadersDirConfig? config = r.DirConfig.Get<HeadersDirConfig>(descriptor);
        if (config is not null && config.Input.Count > 0)
        {
            HeadersHook.Apply(r, config.Input, early, input: true);
        }

        return HookResult.Declined;
    }

    /// <summary>ap_headers_insert_output_filter; early entries act now, where Apache's post_read_request would have.</summary>
    private static void InsertFilter(RequestRecord r, ModuleDescriptor descriptor)
    {
        HeadersDirConfig? config = r.DirConfig.Get<HeadersDirConfig>(descriptor);
        if (config is null || !config.HasOutput)
        {
            return;
        }

        HeadersHook.Apply(r, config.OnSuccess, early: true);
        HeadersHook.Apply(r, config.Always, early: true);
        HeadersHook.AddTo(r, config);
    }

    /// <summary>ap_headers_insert_error_filter: an error answer gets the always entries.</summary>
    private static void InsertErrorFilter(RequestRecord r, ModuleDescriptor descriptor)
    {
        HeadersDirConfig? config = r.DirConfig.Get<HeadersDirConfig>(descriptor);
        if (config is not null && config.Always.Count > 0)
        {
            HeadersHook.AddTo(r, config);
        }
    }

    /// <summary>header_cmd and header_inout_cmd: the words, their checks and Apache's messages.</summary>
    private static string? SetHeader(DirectiveCall call, bool input)
    {
        var words = new List<string>();
        string args = call.RawArgs;
        int pos = 0;
        while (NextWord(args, ref pos) is { } word)
        {
            words.Add(word);
        }

        int i = 0;
        string Take() => i < words.Count ? words[i++] : string.Empty;
        string action = Take();
        bool always = false;
        if (input)
        {
            // header_inout_cmd: RequestHeader takes no condition word; "always" is then an unknown action.
        }
        else if (action.Equals("always", StringComparison.OrdinalIgnoreCase))
        {
            always = true;
            action = Take();
        }
        else if (action.Equals("onsuccess", StringComparison.OrdinalIgnoreCase))
        {
            action = Take();
        }

        string header = Take();
        string? value = i < words.Count ? words[i++] : null;
        string? subs = i < words.Count ? words[i++] : null;
        string? envclause = i < words.Count ? words[i++] : null;
        if (i < words.Count)
        {
            return "Header has too many arguments";
        }

        HeaderAction? parsed = action.ToLowerInvariant() switch
        {
            "set" => HeaderAction.Set,
            "setifempty" => HeaderAction.SetIfEmpty,
            "add" => HeaderAction.Add,
            "append" => HeaderAction.Append,
            "merge" => HeaderAction.Merge,
            "unset" => HeaderAction.Unset,
            "echo" => HeaderAction.Echo,
            "edit" => HeaderAction.Edit,
            "edit*" => HeaderAction.EditAll,
            "note" => HeaderAction.Note,
            _ => null,
        };
        if (parsed is not { } kind)
        {
            return "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'.";
        }

        if (input && kind == HeaderAction.Note)
        {
            return "RequestHeader does not support the 'note' action";
        }

        Regex? pattern = null;
        if (kind is HeaderAction.Edit or HeaderAction.EditAll)
        {
            if (subs is null)
            {
                return "Header edit requires a match and a substitution";
            }

            pattern = Compile(value!);
            if (pattern is null)
            {
                return "Header edit regex could not be compiled";
            }

            value = subs;
        }
        else
        {
            if (envclause is not null)
            {
                return "Too many arguments to directive";
            }

            envclause = subs;
        }

        if (kind == HeaderAction.Unset)
        {
            if (value is not null)
            {
                if (envclause is not null)
                {
                    return "header unset takes two arguments";
                }

                envclause = value;
                value = null;
            }
        }
        else if (kind == HeaderAction.Echo)
        {
            if (input)
            {
                return "Header echo only valid on Header directives";
            }

            if (value is not null)
            {
                if (envclause is not null)
                {
                    return "Header echo takes two arguments";
                }

                envclause = value;
                value = null;
            }

            pattern = Compile(header);
            if (pattern is null)
            {
                return "Header echo regex could not be compiled";
            }
        }
        else if (value is null)
        {
            return "Header requires three arguments";
        }

        bool early = false;
        string? env = null;
        bool negated = false;
        ConfigExpression? condition = null;
        if (envclause is not null)
        {
            if (envclause.Equals("early", StringComparison.OrdinalIgnoreCase))
            {
                if (call.Section != SectionKind.None)
                {
                    return "Header: 'early' is only valid at server or virtual host level";
                }

                early = true;
            }
            else if (envclause.StartsWith("env=", StringComparison.OrdinalIgnoreCase))
            {
                string name = envclause[4..];
                negated = name.StartsWith('!');
                if (negated)
                {
                    name = name[1..];
                }

                if (name.Length == 0)
                {
                    return "error: missing environment variable name. envclause should be in the form env=envar ";
                }

                env = name;
            }
            else if (envclause.StartsWith("expr=", StringComparison.OrdinalIgnoreCase))
            {
                if (!ConfigExpression.TryParse(envclause[5..], out condition, out string? error))
                {
                    return "Can't parse envclause/expression: " + error;
                }
            }
            else
            {
                return "Unknown parameter: " + envclause;
            }
        }

        HeaderFormat? format = null;
        StringExpression? valueExpression = null;
        if (value is not null && value.StartsWith("expr=", StringComparison.OrdinalIgnoreCase))
        {
            if (!StringExpression.TryParse(value[5..], out valueExpression, out string? error))
            {
                return "Can't parse value expression : " + error;
            }
        }
        else if (value is not null)
        {
            format = HeaderFormat.Parse(value, out string? error);
            if (format is null)
            {
                return error;
            }
        }

        int colon = header.IndexOf(':', StringComparison.Ordinal);
        var entry = new HeaderEntry
        {
            Action = kind,
            Name = colon >= 0 ? header[..colon] : header,
            Value = format,
            ValueExpression = valueExpression,
            Pattern = pattern,
            EnvVariable = env,
            EnvNegated = negated,
            Condition = condition,
            Early = early,
        };
        HeadersDirConfig config = call.GetDirRecord<HeadersDirConfig>();
        (input ? config.Input : always ? config.Always : config.OnSuccess).Add(entry);
        return null;
    }

    private static Regex? Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, s_regexTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>ap_getword_conf: a word, or a quoted string with backslash escapes of the quote.</summary>
    internal static string? NextWord(string text, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }

        if (pos >= text.Length)
        {
            return null;
        }

        char quote = text[pos];
        var word = new System.Text.StringBuilder();
        if (quote is '"' or '\'')
        {
            pos++;
            while (pos < text.Length && text[pos] != quote)
            {
                if (text[pos] == '\\' && pos + 1 < text.Length && (text[pos + 1] == quote || text[pos + 1] == '\\'))
                {
                    pos++;
                }

                word.Append(text[pos++]);
            }

            pos = Math.Min(pos + 1, text.Length);
            return word.ToString();
        }

        while (pos < text.Length && !char.IsWhiteSpace(text[pos]))
        {
            word.Append(text[pos++]);
        }

        return word.ToString();
    }
}
