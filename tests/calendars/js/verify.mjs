// Parses each iCalendar file named on the command line with ical.js and prints
// what a subscribing client would read from it, as JSON keyed by file name.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = (component, name) => {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
};

const result = {};
for (const file of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  if (calendar.name !== "vcalendar") throw new Error(`${file}: not a VCALENDAR`);
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      startIsUtc: event.startDate.zone === ICAL.Timezone.utcTimezone,
      sequence: event.sequence,
      status: text(vevent, "status"),
      transp: text(vevent, "transp"),
      dtstamp: vevent.getFirstPropertyValue("dtstamp").toJSDate().toISOString(),
      lastModified: vevent.getFirstPropertyValue("last-modified").toJSDate().toISOString(),
    };
  });
  result[file] = {
    prodid: text(calendar, "prodid"),
    version: text(calendar, "version"),
    method: text(calendar, "method"),
    name: text(calendar, "x-wr-calname"),
    refresh: text(calendar, "refresh-interval"),
    ttl: text(calendar, "x-published-ttl"),
    events,
  };
}
process.stdout.write(JSON.stringify(result));
