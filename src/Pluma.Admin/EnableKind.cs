namespace Pluma.Admin;

/// <summary>What an a2en*/a2dis* tool acts on: mods-*, sites-* or conf-*.</summary>
internal enum EnableKind
{
    Module,
    Site,
    Conf,
}
