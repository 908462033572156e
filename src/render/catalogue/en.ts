/**
 * English. Keys are message ids; `{name}` is filled from the message's params. Other languages
 * are files with the same keys (`satisfies Record<MessageId, string>`). Refs, TLP labels, DTGs,
 * positions and command words are params, never part of a translation.
 */
export const en = {
  // A line made elsewhere and passed through: command definitions (usage, summary, details).
  text: "{text}",

  // Errors and refusals.
  error: "❌ {message}",
  "error.lead": "❌ {lead}: {message}",
  "error.usage": "Usage: {usage}",
  "error.example": "Example: {example}",
  "error.internal": "❌ Internal error, reference {reference}. The operator can find the details in the log.",
  "error.internalEvent": "❌ Internal error, reference {reference}: I could not process this message.",
  "refusal.unknownCommand": "❌ {name} is not a Tearline command. Commands: {names}.",
  "refusal.role": "❌ {command} needs one of these roles: {roles}. You have: {has}.",
  "refusal.outsider":
    "❌ You are on the roster for {partner}, but this room ({room}) is shared by {partners}; I only act on commands from its partners here. Use your own partnership's room.",
  "refusal.editNotCommand":
    "❌ I only act on an edit of a command message I have seen; send the command as a new message.",
  "refusal.editNotSender": "❌ Only the person who sent a command can correct it by editing.",
  "edit.notSender": "❌ {ref} is unchanged: only {sender}, who sent the command, can correct it.",
  "edit.otherCommand":
    "❌ {ref} is unchanged: it was made with {command}, so correct it with {command} (or delete the message to retract it).",
  "edit.unchanged": "{ref} is unchanged",
  "retract.deletionNotTrusted":
    "{ref} was deleted in chat, but this room only accepts changes from verified devices: {ref} stays.",
  "retract.notSender":
    "{ref} stays: only {sender}, who sent the command, can retract it by deleting their message.",

  // Notices about the room or the sender rather than a command.
  "notice.needsEncryption":
    "Tearline only works in end-to-end encrypted rooms. Enable encryption in the room settings; until then I will not act on commands here.",
  "notice.cannotDecrypt":
    "I can't read {sender}'s message yet (missing key); I'll process it when the key arrives.",
  "notice.cannotDecryptAt":
    "I can't read {sender}'s message from {at} yet (missing key); I'll process it when the key arrives.",
  "notice.cannotEverDecrypt": "I can't decrypt {sender}'s message ({why}); please send it again.",
  "notice.cannotEverDecryptAt": "I can't decrypt {sender}'s message from {at} ({why}); please send it again.",
  "notice.missedSome": "I may have missed some commands while I was away; please resend anything important.",
  "notice.missedBefore":
    "I may have missed commands sent before {to} while I was away; please resend anything important.",
  "notice.missedBetween":
    "I may have missed commands between {from} and {to} while I was away; please resend anything important.",
  "notice.notRostered":
    "Sorry {sender}, you are not on Tearline's roster, so I can't act on your commands. Ask the operator to add you (with your partner and roles) to the roster in tearline.yaml.",
  "notice.untrustedDevice":
    "I don't act on messages from {sender} sent from a device that is not verified (cross-signed by its owner); this deployment requires it. Verify the device in your Matrix client, then send the command again.",

  // !help
  "help.title": "Tearline commands:",
  "help.entry": "{synopsis} — {summary}",
  "help.more": "Say {command} for details.",
  "help.summary": "{summary}.",
  "help.examples": "Examples:",
  "help.example": "  {example}",

  // !status
  "status.version": "Tearline {version} · {userId}",
  "status.device": "Device {deviceId} · fingerprint {fingerprint} · {signed}",
  "status.crossSigned": "cross-signed",
  "status.notCrossSigned": "NOT cross-signed",
  "status.rooms": "Rooms joined: {rooms} · last sync {sync}",
  "status.notYet": "not yet",
  "status.secondsAgo": "{seconds} s ago",
  "status.minutesAgo": "{minutes} min ago",
  "status.database": "Database: {database} ({engine}) · outbox backlog {backlog}",
  "status.databaseEmbedded": "embedded PGlite",
  "status.databaseServer": "PostgreSQL",
  "status.databaseOk": "ok",
  "status.databaseDown": "NOT REACHABLE",
  "status.up": "Up since {since}",

  // Sightings
  "sighting.logged": "✅ {ref} logged · {readBack}",
  "sighting.corrected": "✅ {ref} corrected · {readBack}",
  "sighting.retracted":
    "✅ {ref} retracted: its message was deleted. It no longer shows in {command}; the audit log keeps it.",
  "sighting.alreadyRetracted": "{ref} was already retracted.",
  "sighting.retractionRequested":
    "{ref} was deleted in chat, but this room only accepts retractions from verified devices: {ref} stays. To retract it, send {command} {ref} from a verified device.",
  "retract.done": "✅ {ref} retracted. It no longer shows in {command}; the audit log keeps it.",
  "retract.doneWhy":
    "✅ {ref} retracted, reason: {reason}. It no longer shows in {command}; the audit log keeps it.",
  "sighting.what": "{kind}",
  "sighting.whatNamed": "{kind} {ids}",
  "sighting.name": "{name}",
  "sighting.mmsi": "MMSI {mmsi}",
  "sighting.imo": "IMO {imo}",
  "sighting.tail": "tail {tail}",
  "sighting.plate": "plate {plate}",
  "sighting.seen": "seen {time}",
  "sighting.course": "course {course}",
  "sighting.remarks": "remarks {remarks}",
  "sighting.matchesListed": "⚠ matches {refs}",
  "sighting.matches": "⚠ matches {matches} — corroborated",
  "sighting.matchesMore": "⚠ matches {matches} and {more} more — corroborated",
  "sighting.match": "{ref} ({details})",
  "sighting.samePlace": "same place",
  "sighting.distance": "{nm} nm {direction}",
  "sighting.sameCourse": "same course",
  "sightings.line": "{fields}",
  "sightings.none": "No sightings in this room · {filters}.",
  "sightings.headOne": "1 sighting in this room · {filters} · newest first:",
  "sightings.head": "{total} sightings in this room · {filters} · newest first:",
  "sightings.more": "… and {more} more: narrow it with since=, kind=, near= or text=.",
  "sightings.since": "last {since}",
  "sightings.kind": "kind {kind}",
  "sightings.near": "within {radius} of {position}",
  "sightings.text": "text {text}",

  // !export
  "export.posted":
    "📎 {file}: {count} of this room's sightings ({received} received) · {filters} · up to {marking}. The file follows, encrypted.",
  "export.none": "Nothing to export: no sightings in this room · {filters}.",
  "export.capped": "Only the newest {count} of {total} are in it: narrow it with since=, kind= or near=.",

  // RFIs
  "rfi.raised": "✅ {ref} raised for {to} · {priority} · {due}",
  "rfi.corrected": "✅ {ref} corrected · for {to} · {priority} · {due}",
  "rfi.shared":
    "Shared with {to} (sharing rule {from} → {to}): it shows in {list} there, where its partners can answer it.",
  "rfi.sharedReminded":
    "Shared with {to} (sharing rule {from} → {to}): it shows in {list} there, where its partners can answer it, and its deadline reminders go there too.",
  "rfi.referralKept": "to={name} ignored: {ref} was referred to {to}, so it stays with {to}.",
  "rfi.question": "Q: {question}",
  "rfi.answer": "A: {answer}",
  "rfi.reason": "Reason: {reason}",
  "rfi.accepted": "✅ {ref} accepted by {by}{notified}",
  "rfi.deferred": "✅ {ref} deferred by {by}{notified}",
  "rfi.denied": "✅ {ref} denied by {by}{notified}",
  "rfi.closed": "✅ {ref} closed by {by}{notified}",
  "rfi.answered": "✅ {ref} answered by {by}{notified}",
  "rfi.answerUpdated": "✅ {ref} answer updated by {by}{notified}",
  "rfi.referred": "✅ {ref} referred to {to} by {by}{notified}",
  "rfi.notified": " · {user} notified",
  "rfi.by": "{name} ({partner})",
  "rfi.withdrawn":
    "✅ {ref} withdrawn: its message was deleted. It no longer needs an answer; the audit log keeps it.",
  "rfi.alreadyWithdrawn": "{ref} was already withdrawn.",
  "rfi.noDeadline": "no deadline",
  "rfi.overdueSince": "⏰ OVERDUE since {at} ({late})",
  "rfi.ltiov": "LTIOV {at}",
  "rfi.neededBy": "answer needed by {at} (in {left})",
  "rfi.for": "for {to}",
  "rfi.line": "{fields}",
  "rfi.listNone": "No RFIs {filter} in this room.",
  "rfi.listHeadOne": "1 RFI {filter} in this room, newest first:",
  "rfi.listHead": "{total} RFIs {filter} in this room, newest first:",
  "rfi.listMore": "… and {more} more.",
  "rfi.filterOpen": "awaiting an answer",
  "rfi.filterMine": "raised by you",
  "rfi.filterOverdue": "overdue",
  "rfi.filterAll": "in all states",
  "rfi.reminder": "⏰ {ref} ({priority}) for {to} is due in {left}: {question}",
  "rfi.overdue": "⏰ {ref} ({priority}) for {to} is now OVERDUE (LTIOV {at}): {question}",
  // Alerts across the tearline
  "alert.headFor": "{alert} for {ref}:",
  "alert.headText": "{alert} (text alert):",
  "alert.lineRelayed": '→ {room}: relayed (rule "{rule}"){suffix}',
  "alert.linePending": '→ {room}: needs {needs} in {source} (rule "{rule}"), until {until}{suffix}',
  "alert.lineRefused": "→ {room}: not sent — {reason}",
  "alert.suffix": ": {what}",
  "alert.removed": "{fields} removed",
  "alert.coarsened": "position coarsened to {size}",
  "alert.needsOne": "1 approval from {who}",
  "alert.needsMany": "{count} approvals from {role}s",
  "alert.anRole": "an {role}",
  "alert.aRole": "a {role}",
  "alert.howToApprove":
    "React ✅ to approve or ❌ to deny ({role}s of {room}), or {approve} {alert} / {deny} {alert} -- reason.",
  "alert.reason.noRule": "no rule from {from} to {to}",
  "alert.reason.kind": 'rule "{rule}" does not share {kind}s',
  "alert.reason.neverLeaves": "{tlp} never leaves this room",
  "alert.reason.tlp": '{tlp} is above rule "{rule}"\'s limit {max}',
  "alert.reason.rel": "{rel} does not include {missing}",
  "alert.reason.forward": 'a relayed copy may not be alerted onward (rule "{rule}")',
  "alert.banner": "⚠ ALERT {alert} · {tlp}{rel}",
  "alert.correctionBanner": "⚠ CORRECTION {alert} · {tlp}{rel}",
  "alert.relSuffix": " · {rel}",
  "alert.near": "{what} near {position}",
  "alert.fromSighting": "From {room} ({ref}): {fields}",
  "alert.fromRfi": "From {room} ({details}): {question}",
  "alert.fromText": "From {room}: {text}",
  "alert.approvedBy": "Approved by {names}",
  "alert.auto": 'Relayed automatically (rule "{rule}")',
  "alert.approved": "✅ {alert} approved by {by} · relayed to {rooms}",
  "alert.counted": "✅ {alert}: approval by {by} counted · {rooms} still {needs}",
  "alert.stillNeeds": "needs {more} more",
  "alert.denied": "❌ {alert} denied by {by}",
  "alert.deniedWhy": "❌ {alert} denied by {by}: {reason}",
  "alert.expired": "⏰ {alert} expired without approval: not sent to {rooms}",
  "alert.notRequester": '❌ {alert}: you asked for it, and rule "{rule}" needs someone else\'s approval',
  "alert.needsRole": "❌ {alert}: needs the {role} role in {room}; you have: {has}",
  "alert.notPartner":
    "❌ {alert}: only people of {partners}, the partners of {room}, can decide on it; you are with {partner}",
  "alert.notPending": "❌ {alert} is not waiting for a decision: {states}",
  "alert.targetState": "{room} {outcome}",
  "alert.alreadyDecided": "❌ {alert}: you already decided on it ({decision}); each person counts once.",
  "alert.recall": "⚠ RECALL {alert}: {ref} was withdrawn in {room}; disregard this alert.",
  "alert.recallCorrected":
    "⚠ RECALL {alert}: {ref} was corrected in {room} and may no longer be shared here; disregard this alert.",
  "alert.recalledLine": "⚠ {alert} recalled from {rooms}",
  "alert.withdrawnLine": "{alert} withdrawn before it was sent to {rooms}",
  "alert.correctedLine": "{alert}: correction sent to {rooms}",
  "sightings.received": "{ref} (received {alert} from {room})",

  // !rules
  "rules.none": "No sharing rules from or into {room}: nothing leaves this room, nothing arrives.",
  "rules.head": "Sharing rules from and into {room}:",
  "rules.line": "{name}: {kinds} · up to {tlp} · {approval} · {redact} · {precision} · {forward}",
  "rules.auto": "automatic",
  "rules.approval": "{count} × {role}{notRequester}, expires after {expires}",
  "rules.notRequester": " (not the requester)",
  "rules.redactNone": "nothing removed",
  "rules.redact": "removes {fields}",
  "rules.precisionNone": "positions as given",
  "rules.precision": "positions to {size}",
  "rules.forward": "may be alerted onward",
  "rules.noForward": "not alerted onward",
  "rules.dryHead": "Dry run for {ref}, nothing is sent:",
  "rules.dryRelay": '→ {room}: would be relayed (rule "{rule}"): {goes}',
  "rules.dryPending": '→ {room}: would need {needs} in {source} (rule "{rule}"): {goes}',
  "rules.dryRefused": "→ {room}: would not go — {reason}",
  "rules.noRooms": "There is no other configured room to send {ref} to.",
  "rules.goes": "goes: {kept}",
  "rules.goesRemoved": "goes: {kept}; removed: {removed}",
  // Digests
  "digest.daily": "DAILY DIGEST",
  "digest.title": "DIGEST",
  "digest.head": "{title} · {room} · {from} → {to} ({zone}) · {marking}",
  "digest.headLate": "{title} · {room} · {from} → {to} ({zone}) · {marking} · LATE (posted {posted})",
  "digest.period": "Period {from} → {to}",
  "digest.noSightings": "No sightings",
  "digest.sightings": "Sightings {total} ({kinds})",
  "digest.sightingsCorroborated": "Sightings {total} ({kinds}) · {corroborated} corroborated",
  "digest.kindCount": "{kind} {count}",
  "digest.notable": "  {fields}",
  "digest.corroboratedBy": "⚠ corroborated by {count}",
  "digest.receivedFrom": "⇐ from {from}",
  "digest.receivedFromAlert": "⇐ from {from} ({alert})",
  "digest.more": "  and {more} more — {command}",
  "digest.noRfis": "RFIs: none opened, answered or due",
  "digest.rfis": "RFIs: {parts}",
  "digest.rfisOpened": "{count} opened",
  "digest.rfisAnswered": "{count} answered ({which})",
  "digest.rfisOverdue": "{count} overdue ({which})",
  "digest.rfisNearing": "{count} nearing LTIOV ({which})",
  "digest.rfiAfter": "{ref}, {after}",
  "digest.rfiTo": "{ref}, {to}",
  "digest.rfiLeft": "{ref}, {left} left",
  "digest.shared": "Shared: {out} · {received} received",
  "digest.alertsOut": "{count} alerts out",
  "digest.alertsOutHow": "{count} alerts out ({how})",
  "digest.alerts.approved": "{count} approved",
  "digest.alerts.denied": "{count} denied",
  "digest.alerts.refused": "{count} refused",
  "digest.alerts.pending": "{count} pending",
  "digest.awaiting": "Awaiting approval: {which}",
  "digest.awaitingMore": "Awaiting approval: {which} and {more} more",
  "digest.awaitingOne": "{ref} (since {since})",
  "digest.mapCaption": "Map · {room} · {period} · {marking}",
  "digest.next": "{local} ({dtg})",
  "digest.never": "never (the schedule names no date that comes)",
  "digest.setBy": "by {by} {at}",
  "digest.scheduled":
    "✅ Digest for {room} scheduled: {cron} ({tz}) · next {next}. It overrides tearline.yaml's schedule until {reset}.",
  "digest.turnedOff":
    "✅ Scheduled digests are off in {room} until {schedule} (a new schedule) or {reset} (tearline.yaml's).",
  "digest.resetFile": "✅ {room} is back to tearline.yaml's digest schedule: {cron} ({tz}).",
  "digest.resetNone": "✅ {room} is back to tearline.yaml, which schedules no digest here.",
  "digest.showNone": "No digest is scheduled for {room}. Set one: {example}",
  "digest.showOff":
    "Scheduled digests are off in {room} (set from chat {by}). {reset} goes back to tearline.yaml's schedule.",
  "digest.showFile":
    "Digest for {room}: {cron} ({tz}) from tearline.yaml · next {next} · a missed one is posted up to {grace} late.",
  "digest.showChat":
    "Digest for {room}: {cron} ({tz}), set from chat {by} · next {next} · a missed one is posted up to {grace} late. {reset} goes back to tearline.yaml's.",
} as const;

export type MessageId = keyof typeof en;

/** The shape every language file has: a string for every message id. */
export type Catalogue = Record<MessageId, string>;

export const english: Catalogue = en;
