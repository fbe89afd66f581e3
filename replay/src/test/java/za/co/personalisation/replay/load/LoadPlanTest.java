package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.location.Gazetteer;

class LoadPlanTest {

    static LoadPlan plan(double rate, int count, double reachable) {
        TrafficMix mix = new TrafficMix(List.of("electronics", "fashion", "books"), TrafficMix.gazetteerCities(),
            TrafficMix.Shares.defaults(), 7);
        return new LoadPlan("t1", rate, count, 10_000, 1.0, 7, reachable, mix);
    }

    @Test
    void events_areScheduledOpenLoop_atExactlyTheRate() {
        LoadPlan plan = plan(500, 1_000, 0);

        assertThat(plan.offsetNanos(0)).isZero();
        assertThat(plan.offsetNanos(1)).isEqualTo(2_000_000);
        assertThat(plan.offsetNanos(999)).isEqualTo(1_998_000_000L);
    }

    @Test
    void events_areReproducible_andTheirIdsLeadBackToThem() {
        LoadPlan plan = plan(100, 100, 0);
        ZipfSampler customers = plan.customers();

        LoadEvent event = plan.event(42, customers);

        assertThat(plan.event(42, plan.customers())).isEqualTo(event);
        assertThat(event.eventId()).isEqualTo("load-t1-e42");
        assertThat(event.customerId()).isEqualTo("load-t1-c" + event.customerRank());
        assertThat(plan.indexOf(event.eventId())).isEqualTo(42);
        assertThat(plan.indexOf("load-t1-e100")).isEqualTo(-1);
        assertThat(plan.indexOf("load-t2-e1")).isEqualTo(-1);
        assertThat(plan.indexOf("12345")).isEqualTo(-1);
    }

    @Test
    void reachableShare_picksAboutThatShareOfCustomers() {
        LoadPlan plan = plan(100, 100, 0.2);
        int reachable = 0;
        for (int rank = 1; rank <= 10_000; rank++) {
            reachable += plan.reachable(rank) ? 1 : 0;
        }
        assertThat(reachable).isBetween(1_850, 2_150);
        assertThat(plan(100, 100, 0).reachable(1)).isFalse();
    }

    @Test
    void mix_drawsCatalogInterestsAndGazetteerPlaces_withSomeOfNeither() {
        LoadPlan plan = plan(100, 20_000, 0);
        ZipfSampler customers = plan.customers();
        Gazetteer gazetteer = Gazetteer.bundled();
        int offCatalog = 0;
        int unknownPlaces = 0;
        Set<String> places = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            LoadEvent event = plan.event(i, customers);
            offCatalog += List.of("electronics", "fashion", "books").contains(event.interest()) ? 0 : 1;
            unknownPlaces += gazetteer.resolve(event.place()).known() ? 0 : 1;
            places.add(event.place());
        }
        assertThat(offCatalog / 20_000.0).isBetween(0.08, 0.12);
        assertThat(unknownPlaces / 20_000.0).isBetween(0.01, 0.03);
        assertThat(places.size()).isGreaterThan(10);
    }

    @Test
    void gazetteerCities_allResolve_andIncludeTheSeedsCity() {
        List<String> cities = TrafficMix.gazetteerCities();

        assertThat(cities).contains("Cape Town", "Johannesburg", "Durban");
        assertThat(cities).allMatch(city -> Gazetteer.bundled().resolve(city).known());
    }

    @Test
    void badPlans_areRefused() {
        TrafficMix mix = new TrafficMix(List.of("books"), List.of("Durban"), TrafficMix.Shares.defaults(), 1);
        assertThatThrownBy(() -> new LoadPlan("Bad_Id", 1, 1, 1, 1, 1, 0, mix)).hasMessageContaining("run id");
        assertThatThrownBy(() -> new LoadPlan("ok", 0, 1, 1, 1, 1, 0, mix)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new LoadPlan("ok", 1, 1, 1, 1, 1, 2, mix)).hasMessageContaining("share");
    }
}
