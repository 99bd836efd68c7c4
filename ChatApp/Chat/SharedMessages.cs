namespace ChatApp.Chat;

/// <summary>
/// One copy of each message version for all the tabs of this server. Every history page a tab reads is new objects
/// from the database (the record, its text, its lists), so a thousand tabs showing one room kept a thousand copies of
/// the same fifty messages (~20 KB per tab, bench/FINDINGS.md). A page passes through here and each message is
/// replaced by the copy another tab already holds. Messages are immutable, and two copies are the same version only
/// when every property is equal (<see cref="SameVersion"/>, this reader's own "saved" mark included), so no reader
/// is handed a version another reader sees differently.
/// </summary>
public sealed class SharedMessages
{
    /// <summary>Message versions kept per generation (<see cref="MessageVersions{TValue}"/>).</summary>
    private const int GenerationSize = 20_000;

    private readonly MessageVersions<ChatMessage> versions = new(GenerationSize);

    public IReadOnlyList<ChatMessage> Share(IReadOnlyList<ChatMessage> page)
    {
        if (page.Count == 0)
        {
            return page;
        }
        var shared = new ChatMessage[page.Count];
        for (var i = 0; i < page.Count; i++)
        {
            shared[i] = versions.GetOrAdd(page[i], static message => message);
        }
        return shared;
    }
}
