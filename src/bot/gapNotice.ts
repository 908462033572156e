/**
 * What the bot says when it could not walk back far enough to see everything sent while it was
 * away. Times are UTC; the date is added when the two ends are not on the same day.
 */
export function missedCommands(from: number | undefined, to: number | undefined): string {
  const tail = " while I was away; please resend anything important.";
  if (to === undefined) return `I may have missed some commands${tail}`;
  if (from === undefined || from > to)
    return `I may have missed commands sent before ${at(to, false)}${tail}`;
  const sameDay = new Date(from).toISOString().slice(0, 10) === new Date(to).toISOString().slice(0, 10);
  return `I may have missed commands between ${at(from, !sameDay)} and ${at(to, !sameDay)}${tail}`;
}

function at(ts: number, withDate: boolean): string {
  const iso = new Date(ts).toISOString();
  return `${withDate ? `${iso.slice(0, 10)} ` : ""}${iso.slice(11, 16)}Z`;
}
