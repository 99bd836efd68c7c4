using Microsoft.Extensions.Options;

namespace ChatApp.Cluster;

[Trait("Cost", "cluster")]
public sealed class ClusterReplayGuardTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly ClusterReplayGuard guard = new(TimeSpan.FromSeconds(30));

    [Fact]
    public void Each_senders_sequence_must_grow()
    {
        Assert.Equal(ClusterArrival.InOrder, guard.Check("a", 5, Now, Now));
        Assert.Equal(ClusterArrival.InOrder, guard.Check("a", 6, Now, Now));
        Assert.Equal(ClusterArrival.Replayed, guard.Check("a", 6, Now, Now));
        Assert.Equal(ClusterArrival.Replayed, guard.Check("a", 2, Now, Now));
        // Another server instance (a restart gets a new id) counts on its own.
        Assert.Equal(ClusterArrival.InOrder, guard.Check("b", 1, Now, Now));
    }

    [Fact]
    public void A_skipped_sequence_number_is_a_gap()
    {
        guard.Check("a", 1, Now, Now);
        Assert.Equal(ClusterArrival.AfterGap, guard.Check("a", 3, Now, Now));
        Assert.Equal(ClusterArrival.InOrder, guard.Check("a", 4, Now, Now));
    }

    [Fact]
    public void A_message_sealed_too_long_ago_or_ahead_is_stale_even_from_an_unknown_sender()
    {
        Assert.Equal(ClusterArrival.Stale, guard.Check("never-heard", 1, Now - TimeSpan.FromSeconds(31), Now));
        Assert.Equal(ClusterArrival.Stale, guard.Check("never-heard", 1, Now + TimeSpan.FromSeconds(31), Now));
        Assert.Equal(ClusterArrival.InOrder, guard.Check("never-heard", 1, Now - TimeSpan.FromSeconds(29), Now));
    }

    [Fact]
    public void A_full_outbox_counts_what_it_dropped()
    {
        var outbox = new ClusterOutbox(Options.Create(new ChatApp.Chat.RedisOptions { OutboxCapacity = 100 }));
        for (var i = 0; i < 103; i++)
        {
            outbox.Send(new ServerHeartbeat());
        }

        Assert.Equal(3, outbox.TakeDropped());
        Assert.Equal(0, outbox.TakeDropped());
    }
}
