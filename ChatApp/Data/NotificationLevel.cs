namespace ChatApp.Data;

/// <summary>
/// How much of a room may call for one member's attention: its unread badge and browser notifications
/// (Chat's NotificationRules says what each level lets through).
/// </summary>
public enum NotificationLevel
{
    /// <summary>As before any choice: every message badges; direct messages and mentions notify.</summary>
    Default = 0,

    /// <summary>Every message badges and notifies.</summary>
    All = 1,

    /// <summary>Only mentions badge and notify.</summary>
    Mentions = 2,

    /// <summary>Muted: greyed in the sidebar, only the mention count shows, nothing notifies.</summary>
    Nothing = 3,
}
