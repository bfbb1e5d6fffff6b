namespace Pluma.Config;

/// <summary>
/// One config record per module (httpd's <c>ap_conf_vector_t</c>), indexed by the module's place
/// in the <see cref="ModuleRegistry"/>. A null slot means the module has no record here.
/// </summary>
public sealed class ModuleConfigVector
{
    private readonly object?[] _slots;

    internal ModuleConfigVector(int size) => _slots = new object?[size];

    private ModuleConfigVector(object?[] slots) => _slots = slots;

    public object? this[ModuleDescriptor module] => _slots[module.Index];

    /// <summary>The module's record cast to its type, or null when there is none.</summary>
    public T? Get<T>(ModuleDescriptor module)
        where T : class => _slots[module.Index] as T;

    internal int Count => _slots.Length;

    internal object? GetAt(int index) => _slots[index];

    internal void SetAt(int index, object? value) => _slots[index] = value;

    internal ModuleConfigVector Clone() => new((object?[])_slots.Clone());
}
