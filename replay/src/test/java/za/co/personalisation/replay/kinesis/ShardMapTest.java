package za.co.personalisation.replay.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMapTest {

    private static final BigInteger HALF = BigInteger.TWO.pow(127);
    private static final BigInteger TOP = BigInteger.TWO.pow(128).subtract(BigInteger.ONE);

    @Test
    void shardFor_usesTheMd5OfThePartitionKey_likeKinesis() {
        ShardMap map = new ShardMap(List.of(
            new ShardMap.Range("shard-high", HALF, TOP),
            new ShardMap.Range("shard-low", BigInteger.ZERO, HALF.subtract(BigInteger.ONE))));

        // MD5("12345") = 827ccb0eea8a706c4c34a16891f84e7b: above 2^127; MD5("a") = 0cc175b9…: below
        assertThat(ShardMap.hash("12345").toString(16)).isEqualTo("827ccb0eea8a706c4c34a16891f84e7b");
        assertThat(map.shardFor("12345")).isEqualTo("shard-high");
        assertThat(map.shardFor("a")).isEqualTo("shard-low");
        assertThat(map.size()).isEqualTo(2);
    }

    @Test
    void aStreamWithoutOpenShards_cannotBeWrittenTo() {
        assertThatThrownBy(() -> new ShardMap(List.of())).hasMessageContaining("no open shard");
    }
}
