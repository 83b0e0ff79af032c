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

const text = await readStdin();
const vcalendar = new ICAL.Component(ICAL.parse(text));

const timezones = vcalendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
  const timezone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(timezone);
  return timezone.tzid;
});

const events = vcalendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"),
    summary: event.summary,
    start: describeTime(event.startDate),
    end: describeTime(event.endDate),
  };
});

process.stdout.write(
  JSON.stringify({
    method: vcalendar.getFirstPropertyValue("method"),
    name: vcalendar.getFirstPropertyValue("name"),
    timezones,
    events,
  }),
);
