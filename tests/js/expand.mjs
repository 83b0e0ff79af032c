// Reads one iCalendar object on stdin and prints, as JSON, what Mozilla's ical.js (the parser
// behind Thunderbird's calendar) makes of it: METHOD, the VTIMEZONEs it found, and for each
// event its UID, SEQUENCE, STATUS and start/end.
//
// The instants are computed by ical.js from the calendar's own VTIMEZONE (registered with
// ICAL.TimezoneService), then shown as Helsinki wall-clock time by Node's Intl (ICU's tz
// database). If the VTIMEZONE were wrong, the two would disagree and the local time would
// not be the one the service meant. Run with TZ=UTC so a missing VTIMEZONE (floating time)
// cannot pass by accident.
import ICAL from "ical.js";

const HELSINKI = "Europe/Helsinki";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

const helsinkiFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: HELSINKI,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

// "2026-10-26T13:00" in Helsinki time for a JS Date (an instant).
function helsinkiLocal(date) {
  const parts = Object.fromEntries(
    helsinkiFormat.formatToParts(date).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function describeTime(time) {
  return {
    zone: time.zone ? time.zone.tzid : null,
    utc: time.toJSDate().toISOString(),
    local: helsinkiLocal(time.toJSDate()),
    wall: time.toString(), // as written in the file, e.g. 2026-10-26T13:00:00
  };
}

// One calendar as JSON; timezones are registered globally, which is harmless here.
function describe(text) {
  const vcalendar = new ICAL.Component(ICAL.parse(text));

  const timezones = vcalendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
    const timezone = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(timezone);
    return timezone.tzid;
  });

  const vevents = vcalendar.getAllSubcomponents("vevent");
  const events = vevents.map((vevent) => {
    const event = new ICAL.Event(vevent);
    const recurrenceId = vevent.getFirstPropertyValue("recurrence-id");
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue("status"),
      summary: event.summary,
      start: describeTime(event.startDate),
      end: describeTime(event.endDate),
      recurrenceId: recurrenceId ? describeTime(recurrenceId) : null,
      recurring: event.isRecurring(),
      conferences: vevent.getAllProperties("conference").map((p) => ({
        uri: p.getFirstValue(),
        feature: p.getParameter("feature"),
      })),
    };
  });

  // Every occurrence of each recurring event as a client shows it: RRULE, RDATE and EXDATE
  // expanded, RECURRENCE-ID overrides applied (ical.js's own expansion).
  const occurrences = [];
  const masters = vevents.filter((v) => !v.hasProperty("recurrence-id"));
  for (const master of masters) {
    const event = new ICAL.Event(master);
    if (!event.isRecurring()) continue;
    for (const override of vevents) {
      if (override.hasProperty("recurrence-id")
          && override.getFirstPropertyValue("uid") === event.uid) {
        event.relateException(new ICAL.Event(override));
      }
    }
    const iterator = event.iterator();
    for (let next = iterator.next(), n = 0; next && n < 2000; next = iterator.next(), n += 1) {
      const details = event.getOccurrenceDetails(next);
      occurrences.push({
        uid: event.uid,
        start: describeTime(details.startDate),
        end: describeTime(details.endDate),
        summary: details.item.summary,
        status: details.item.component.getFirstPropertyValue("status"),
        overridden: details.item !== event,
      });
    }
  }

  return ({
      method: vcalendar.getFirstPropertyValue("method"),
      name: vcalendar.getFirstPropertyValue("name"),
      timezones,
      events,
      occurrences,
    });
}

const input = await readStdin();
// "--many": a JSON list of calendars in, a JSON list of descriptions out (one node start).
if (process.argv.includes("--many")) {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(describe)));
} else {
  process.stdout.write(JSON.stringify(describe(input)));
}
