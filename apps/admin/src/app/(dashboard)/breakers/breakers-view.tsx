"use client";

import type {
  TBreakerIncidentView,
  TBreakerSegment,
  TGetBreakerTimelineOutput,
} from "@kassa/api/central/dashboard";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from "recharts";
import { DataTable, dataTableColumns, Pager, useUrlClientPages } from "~/components/data-table.tsx";
import { FilterBar, FilterSelect } from "~/components/filter-bar.tsx";
import { StoreFilter, TerminalFilter } from "~/components/scope-filters.tsx";
import { Badge, Muted, Stat, Stats, type Tone } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./breakers.module.css";
import {
  BREAKER_RANGES,
  breakerFleetInput,
  breakerSearchParams,
  breakerTimelineInput,
  breakerWindow,
  DESTINATIONS,
} from "./search-params.ts";

/** Segment colours: closed recedes, open and half-open stand out (the legend names them too). */
const STATE_COLOR: Record<TBreakerSegment["state"], string> = {
  closed: "#b9dfc8",
  open: "#b42318",
  half_open: "#e0a030",
};
const KIND_TONE: Record<TBreakerIncidentView["kind"], Tone> = {
  outage: "danger",
  several: "warn",
  local: "neutral",
};
/** A lane shows at most this many segments (a flapping breaker; the fleet view ships no more, get-fleet.ts MAX_LANE_SEGMENTS); the transitions table has them all. */
const MAX_SEGMENTS = 80;
/** Incidents a page of the fleet view lists, and lanes its chart draws. */
const INCIDENTS_PAGE = 25;
const LANES_PAGE = 40;

export function BreakerFilters() {
  const trpc = useTRPC();
  const t = useTranslations("breakers.filters");
  const common = useTranslations("common.breaker");
  const [search, setSearch] = useQueryStates(breakerSearchParams);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const { data: fleet } = useSuspenseQuery(trpc.dashboard.fleet.list.queryOptions());
  return (
    <FilterBar
      label={t("label")}
      // Turning a page of incidents or lanes is no reason to rebuild the form.
      state={{ ...search, incidents: null, lanes: null }}
      applyLabel={t("apply")}
      clearLabel={t("clear")}
      onApply={(field) =>
        void setSearch({
          range: BREAKER_RANGES.find((r) => r === field("range")) ?? "24h",
          destination: DESTINATIONS.find((d) => d === field("destination")) ?? null,
          storeId: field("storeId"),
          terminalId: field("terminalId"),
          end: null,
          incidents: null,
          lanes: null,
        })
      }
      onClear={() => void setSearch(null)}
    >
      <FilterSelect
        label={t("range")}
        name="range"
        defaultValue={search.range}
        options={BREAKER_RANGES.map((r) => ({ value: r, label: t("ranges", { range: r }) }))}
      />
      <FilterSelect
        label={t("destination")}
        name="destination"
        defaultValue={search.destination ?? ""}
        anyLabel={t("allDestinations")}
        options={DESTINATIONS.map((d) => ({ value: d, label: common("destination", { destination: d }) }))}
      />
      <StoreFilter label={t("store")} allLabel={t("allStores")} stores={me.stores} value={search.storeId} />
      <TerminalFilter
        label={t("terminal")}
        allLabel={t("noTerminal")}
        terminals={fleet.terminals}
        value={search.terminalId}
      />
    </FilterBar>
  );
}

export function BreakerView() {
  const [search] = useQueryStates(breakerSearchParams);
  const { terminalId } = search;
  return terminalId ? <TillTimeline terminalId={terminalId} /> : <FleetBreakers />;
}

interface Lane {
  key: string;
  label: string;
  segments: TBreakerSegment[];
}

/**
 * Lanes of closed / open / half-open over one shared time axis (recharts: each segment a stacked
 * bar of its duration, so every lane starts at the window's start and ends at its end).
 */
function LanesChart({
  lanes,
  window,
  timezone,
  markers = [],
  testId,
}: {
  lanes: Lane[];
  window: { from: Date; to: Date };
  timezone: string;
  markers?: { at: Date; tone: Tone }[];
  testId: string;
}) {
  const t = useTranslations("breakers.chart");
  const states = useTranslations("common.breaker");
  const f = useFormat();
  const start = window.from.getTime();
  const span = window.to.getTime() - start;
  const depth = Math.min(MAX_SEGMENTS, Math.max(1, ...lanes.map((l) => l.segments.length)));
  const data = lanes.map((lane) => {
    const row: Record<string, number | string> = { label: lane.label };
    lane.segments.slice(0, depth).forEach((s, i) => {
      row[`s${i}`] = s.to.getTime() - s.from.getTime();
    });
    return row;
  });
  const time = new Intl.DateTimeFormat(f.locale, {
    timeZone: timezone,
    hour: "2-digit",
    minute: "2-digit",
    ...(span > 24 * 3600_000 ? { day: "numeric", month: "short" } : {}),
  });
  return (
    <div className={styles.chart} data-testid={testId}>
      <div role="img" aria-label={t("label", { lane: lanes.map((l) => l.label).join(", ") })}>
        <ResponsiveContainer width="100%" height={Math.max(90, lanes.length * 30 + 40)}>
          <BarChart
            data={data}
            layout="vertical"
            barCategoryGap={6}
            margin={{ left: 8, right: 16 }}
            accessibilityLayer={false}
          >
            <CartesianGrid horizontal={false} strokeDasharray="3 3" />
            <XAxis
              type="number"
              domain={[0, span]}
              allowDataOverflow
              tickFormatter={(offset: number) => time.format(new Date(start + offset))}
              fontSize={11}
            />
            <YAxis type="category" dataKey="label" width={190} fontSize={11} interval={0} />
            {Array.from({ length: depth }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the i-th segment of every lane
              <Bar key={i} dataKey={`s${i}`} stackId="lane" isAnimationActive={false}>
                {lanes.map((lane) => (
                  <Cell key={lane.key} fill={STATE_COLOR[lane.segments[i]?.state ?? "closed"]} />
                ))}
              </Bar>
            ))}
            {markers.map((m) => (
              <ReferenceLine
                key={m.at.toISOString()}
                x={m.at.getTime() - start}
                stroke={m.tone === "danger" ? "#b42318" : "#9a5b00"}
                strokeDasharray="4 2"
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className={styles.legend} aria-label={t("legend")}>
        {(["closed", "open", "half_open"] as const).map((s) => (
          <li key={s}>
            <span className={styles.swatch} style={{ background: STATE_COLOR[s] }} aria-hidden />
            {states("state", { state: s })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function FleetBreakers() {
  const trpc = useTRPC();
  const t = useTranslations("breakers");
  const destinations = useTranslations("common.breaker");
  const f = useFormat();
  const [search] = useQueryStates(breakerSearchParams);
  const { data } = useSuspenseQuery(trpc.dashboard.breakers.fleet.queryOptions(breakerFleetInput(search)));
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const timezone = me.stores[0]?.timezone ?? "Europe/Moscow";
  const column = dataTableColumns<TBreakerIncidentView>();
  const columns = [
    column.accessor("startedAt", {
      header: t("incidents.started"),
      cell: (c) => f.dateTime(c.getValue(), timezone),
    }),
    column.accessor("destination", {
      header: t("incidents.destination"),
      cell: (c) => destinations("destination", { destination: c.getValue() }),
    }),
    column.accessor("kind", {
      header: t("incidents.kind"),
      cell: ({ row }) => {
        const i = row.original;
        return (
          <>
            <Badge tone={KIND_TONE[i.kind]} testId="incident-kind">
              {t("kind", { kind: i.kind })}
            </Badge>
            <Muted block>
              {t("kindHint", {
                kind: i.kind,
                count: i.tillCount,
                seconds: Math.round(data.rule.windowMs / 1000),
                destination: destinations("destination", { destination: i.destination }),
              })}
            </Muted>
          </>
        );
      },
    }),
    column.display({
      id: "tills",
      header: t("incidents.tills"),
      cell: ({ row }) => (
        <>
          {row.original.trips.map((trip) => trip.terminalName).join(", ")}
          {row.original.tillCount > row.original.trips.length &&
            ` ${t("incidents.moreTills", { count: row.original.tillCount - row.original.trips.length })}`}
          <Muted block>{t("incidents.stores", { count: row.original.storeCount })}</Muted>
        </>
      ),
    }),
    column.display({
      id: "cause",
      header: t("incidents.cause"),
      cell: ({ row }) => <Muted>{row.original.trips[0]?.cause}</Muted>,
    }),
  ];
  // The fleet view ships lanes compact (states and starts, ms after `from`): each segment ends
  // where the next starts, the last at `to` (or at `cutAt` when later ones were left out).
  const from = data.from.getTime();
  const lanes: Lane[] = data.lanes.map((l) => ({
    key: `${l.terminalId}/${l.destination}`,
    label: `${l.terminalName} · ${destinations("destination", { destination: l.destination })}`,
    segments: l.states.map((state, i) => ({
      state,
      from: new Date(from + l.starts[i]!),
      to:
        i + 1 < l.starts.length
          ? new Date(from + l.starts[i + 1]!)
          : l.cutAt !== null
            ? new Date(from + l.cutAt)
            : data.to,
      cause: null,
      failures: null,
    })),
  }));
  // Pages of the incidents and of the lanes: a chain's week is 200 incidents and 300 lanes of up
  // to 80 segments, ~24,000 bars drawn before the page's largest paint.
  const incidentPages = useUrlClientPages(data.incidents.length, INCIDENTS_PAGE, { key: "incidents" });
  const lanePages = useUrlClientPages(lanes.length, LANES_PAGE, { key: "lanes" });
  const lanePage = lanePages.pagination;
  const shownLanes = lanePage
    ? lanes.slice(lanePage.pageIndex * LANES_PAGE, (lanePage.pageIndex + 1) * LANES_PAGE)
    : lanes;
  return (
    <>
      <Stats label={t("summary.label")}>
        <Stat
          label={t("summary.outages")}
          value={f.number(data.summary.outages)}
          tone={data.summary.outages > 0 ? "danger" : "ok"}
        />
        <Stat
          label={t("summary.several")}
          value={f.number(data.summary.several)}
          tone={data.summary.several > 0 ? "warn" : "ok"}
        />
        <Stat label={t("summary.local")} value={f.number(data.summary.local)} />
        <Stat label={t("summary.tillsTripped")} value={f.number(data.summary.tillsTripped)} />
      </Stats>
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>{t("incidents.title")}</h2>
        <DataTable
          caption={t("incidents.caption")}
          columns={columns}
          data={data.incidents}
          getRowId={(i) => `${i.destination}/${i.startedAt.toISOString()}`}
          empty={t("incidents.empty")}
          testId="breaker-incidents"
          pagination={incidentPages.pagination}
        />
        {data.incidentCount > data.incidents.length && (
          <p className={styles.note}>
            {t("incidents.truncated", { shown: data.incidents.length, count: data.incidentCount })}
          </p>
        )}
      </section>
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>{t("lanes.title")}</h2>
        {lanes.length === 0 ? (
          <Muted block>{t("lanes.empty")}</Muted>
        ) : (
          <LanesChart
            lanes={shownLanes}
            window={breakerWindow(search)}
            timezone={timezone}
            markers={data.incidents
              .filter((i) => i.kind !== "local")
              .map((i) => ({ at: i.startedAt, tone: KIND_TONE[i.kind] }))}
            testId="breaker-lanes"
          />
        )}
        {lanePage && <Pager pagination={lanePage} />}
        {data.truncated && <p className={styles.note}>{t("lanes.truncated")}</p>}
      </section>
    </>
  );
}

type TransitionRow = TGetBreakerTimelineOutput["destinations"][number]["transitions"][number] & {
  destination: string;
};

function TillTimeline({ terminalId }: { terminalId: string }) {
  const trpc = useTRPC();
  const t = useTranslations("breakers.timeline");
  const common = useTranslations("common.breaker");
  const f = useFormat();
  const [search] = useQueryStates(breakerSearchParams);
  const { data } = useSuspenseQuery(
    trpc.dashboard.breakers.timeline.queryOptions(breakerTimelineInput({ ...search, terminalId })),
  );
  const timezone = data.terminal.timezone;
  const lanes: Lane[] = data.destinations.map((d) => ({
    key: d.destination,
    label: `${common("destination", { destination: d.destination })} · ${t("trips", {
      count: d.trips,
      minutes: Math.round(d.notClosedMs / 60_000),
    })}`,
    segments: d.segments,
  }));
  const rows: TransitionRow[] = data.destinations
    .flatMap((d) => d.transitions.map((tr) => ({ ...tr, destination: d.destination })))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const column = dataTableColumns<TransitionRow>();
  const columns = [
    column.accessor("at", { header: t("at"), cell: (c) => f.dateTime(c.getValue(), timezone) }),
    column.accessor("destination", {
      header: t("destination"),
      cell: (c) => common("destination", { destination: c.getValue() }),
    }),
    column.display({
      id: "change",
      header: t("change"),
      cell: ({ row }) =>
        `${common("state", { state: row.original.from })} → ${common("state", { state: row.original.to })}`,
    }),
    column.accessor("cause", { header: t("cause"), cell: (c) => <Muted>{c.getValue()}</Muted> }),
    column.accessor("failures", {
      header: t("failures"),
      meta: { numeric: true },
      cell: (c) => f.number(c.getValue()),
    }),
  ];
  return (
    <section className={styles.section}>
      <h2 className={styles.sectionTitle}>
        {t("title", { terminal: data.terminal.name, store: data.terminal.storeName })}
      </h2>
      <LanesChart
        lanes={lanes}
        window={{ from: data.from, to: data.to }}
        timezone={timezone}
        testId="breaker-timeline"
      />
      <div className={styles.section} />
      <DataTable
        caption={t("caption")}
        columns={columns}
        data={rows}
        getRowId={(r) => r.id}
        empty={t("empty")}
        testId="breaker-transitions"
      />
    </section>
  );
}
