import type { Catalogue } from "./en.ts";

/**
 * French (usage de la Marine nationale et de la gendarmerie maritime). Same ids and `{params}` as
 * en.ts; refs, TLP labels, DTGs, positions, command words and option keys stay as they are.
 */
export const french: Catalogue = {
  text: "{text}",

  "time.months": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
  "time.monthNames": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
  "time.units": "j h min",
  "time.justNow": "à l’instant",
  "time.ago": "il y a {duration}",
  "time.in": "dans {duration}",

  error: "❌ {message}",
  "error.lead": "❌ {lead} : {message}",
  "error.usage": "Syntaxe : {usage}",
  "error.example": "Exemple : {example}",
  "error.either": "{a} ou {b}",
  "error.internal":
    "❌ Erreur interne, référence {reference}. L’exploitant en trouvera le détail dans le journal.",
  "error.internalEvent": "❌ Erreur interne, référence {reference} : je n’ai pas pu traiter ce message.",
  "refusal.unknownCommand": "❌ {name} n’est pas une commande Tearline. Commandes : {names}.",
  "refusal.role": "❌ {command} exige l’un de ces rôles : {roles}. Vos rôles : {has}.",
  "refusal.outsider":
    "❌ Vous figurez dans l’annuaire pour {partner}, mais ce salon ({room}) est partagé par {partners} ; ici, je n’exécute que les commandes de ses partenaires. Utilisez le salon de votre propre partenariat.",
  "refusal.editNotCommand":
    "❌ Je ne prends en compte que la modification d’un message de commande que j’ai déjà vu ; envoyez la commande dans un nouveau message.",
  "refusal.editNotSender": "❌ Seul l’auteur d’une commande peut la corriger en la modifiant.",
  "edit.notSender": "❌ {ref} est inchangée : seul {sender}, auteur de la commande, peut la corriger.",
  "edit.otherCommand":
    "❌ {ref} est inchangée : elle a été créée avec {command}, corrigez-la donc avec {command} (ou supprimez le message pour la retirer).",
  "edit.unchanged": "{ref} est inchangée",
  "retract.deletionNotTrusted":
    "{ref} a été supprimée dans la discussion, mais ce salon n’accepte de modifications que depuis des appareils vérifiés : {ref} est maintenue.",
  "retract.notSender":
    "{ref} est maintenue : seul {sender}, auteur de la commande, peut la retirer en supprimant son message.",

  "notice.needsEncryption":
    "Tearline ne fonctionne que dans des salons chiffrés de bout en bout. Activez le chiffrement dans les paramètres du salon ; d’ici là, je n’exécuterai aucune commande ici.",
  "notice.cannotDecrypt":
    "Je ne peux pas encore lire le message de {sender} (clé manquante) ; je le traiterai dès réception de la clé.",
  "notice.cannotDecryptAt":
    "Je ne peux pas encore lire le message de {sender} de {at} (clé manquante) ; je le traiterai dès réception de la clé.",
  "notice.cannotEverDecrypt":
    "Je ne peux pas déchiffrer le message de {sender} ({why}) ; merci de le renvoyer.",
  "notice.cannotEverDecryptAt":
    "Je ne peux pas déchiffrer le message de {sender} de {at} ({why}) ; merci de le renvoyer.",
  "notice.missedSome":
    "J’ai pu manquer des commandes pendant mon absence ; renvoyez tout ce qui est important.",
  "notice.missedBefore":
    "J’ai pu manquer des commandes envoyées avant {to} pendant mon absence ; renvoyez tout ce qui est important.",
  "notice.missedBetween":
    "J’ai pu manquer des commandes entre {from} et {to} pendant mon absence ; renvoyez tout ce qui est important.",
  "notice.notRostered":
    "Désolé {sender}, vous ne figurez pas dans l’annuaire de Tearline : je ne peux pas exécuter vos commandes. Demandez à l’exploitant de vous ajouter (avec votre partenaire et vos rôles) à l’annuaire dans tearline.yaml.",
  "notice.untrustedDevice":
    "Je ne traite pas les messages de {sender} envoyés depuis un appareil non vérifié (non certifié par son propriétaire) ; ce déploiement l’exige. Vérifiez l’appareil dans votre client Matrix, puis renvoyez la commande.",

  "help.title": "Commandes Tearline :",
  "help.entry": "{synopsis} — {summary}",
  "help.more": "Tapez {command} pour le détail.",
  "help.summary": "{summary}.",
  "help.examples": "Exemples :",
  "help.example": "  {example}",

  "status.version": "Tearline {version} · {userId}",
  "status.device": "Appareil {deviceId} · empreinte {fingerprint} · {signed}",
  "status.crossSigned": "certifié (signature croisée)",
  "status.notCrossSigned": "NON certifié (pas de signature croisée)",
  "status.rooms": "Salons rejoints : {rooms} · dernière synchronisation {sync}",
  "status.notYet": "pas encore",
  "status.secondsAgo": "il y a {seconds} s",
  "status.minutesAgo": "il y a {minutes} min",
  "status.database": "Base de données : {database} ({engine}) · messages en attente d’envoi {backlog}",
  "status.databaseEmbedded": "PGlite intégrée",
  "status.databaseServer": "PostgreSQL",
  "status.databaseOk": "ok",
  "status.databaseDown": "INJOIGNABLE",
  "status.up": "En service depuis {since}",

  "sighting.logged": "✅ {ref} enregistrée · {readBack}",
  "sighting.corrected": "✅ {ref} corrigée · {readBack}",
  "sighting.retracted":
    "✅ {ref} retirée : son message a été supprimé. Elle n’apparaît plus dans {command} ; le journal d’audit la conserve.",
  "sighting.alreadyRetracted": "{ref} était déjà retirée.",
  "sighting.retractionRequested":
    "{ref} a été supprimée dans la discussion, mais ce salon n’accepte de retraits que depuis des appareils vérifiés : {ref} est maintenue. Pour la retirer, envoyez {command} {ref} depuis un appareil vérifié.",
  "retract.done": "✅ {ref} retirée. Elle n’apparaît plus dans {command} ; le journal d’audit la conserve.",
  "retract.doneWhy":
    "✅ {ref} retirée, motif : {reason}. Elle n’apparaît plus dans {command} ; le journal d’audit la conserve.",
  "sighting.what": "{kind}",
  "sighting.whatNamed": "{kind} {ids}",
  "sighting.name": "{name}",
  "sighting.mmsi": "MMSI {mmsi}",
  "sighting.imo": "IMO {imo}",
  "sighting.tail": "immatriculation {tail}",
  "sighting.plate": "plaque {plate}",
  "sighting.seen": "vu le {time}",
  "sighting.course": "route {course}",
  "sighting.remarks": "remarques {remarks}",
  "sighting.matchesListed": "⚠ correspond à {refs}",
  "sighting.matches": "⚠ correspond à {matches} — recoupée",
  "sighting.matchesMore": "⚠ correspond à {matches} et {more} autres — recoupée",
  "sighting.match": "{ref} ({details})",
  "sighting.samePlace": "même position",
  "sighting.distance": "{nm} NM {direction}",
  "sighting.sameCourse": "même route",
  "sightings.line": "{fields}",
  "sightings.none": "Aucune observation dans ce salon · {filters}.",
  "sightings.headOne": "1 observation dans ce salon · {filters} · la plus récente d’abord :",
  "sightings.head": "{total} observations dans ce salon · {filters} · les plus récentes d’abord :",
  "sightings.more": "… et {more} autres : affinez avec since=, kind=, near= ou text=.",
  "sightings.since": "depuis {since}",
  "sightings.kind": "type {kind}",
  "sightings.near": "à moins de {radius} de {position}",
  "sightings.text": "texte {text}",

  "export.posted":
    "📎 {file} : {count} observations de ce salon ({received} reçues) · {filters} · jusqu’à {marking}. Le fichier suit, chiffré.",
  "export.none": "Rien à exporter : aucune observation dans ce salon · {filters}.",
  "export.capped":
    "Seules les {count} plus récentes sur {total} y figurent : affinez avec since=, kind= ou near=.",

  "rfi.raised": "✅ {ref} émise pour {to} · {priority} · {due}",
  "rfi.corrected": "✅ {ref} corrigée · pour {to} · {priority} · {due}",
  "rfi.shared":
    "Partagée avec {to} (règle de partage {from} → {to}) : elle apparaît là-bas dans {list}, où ses partenaires peuvent y répondre.",
  "rfi.sharedReminded":
    "Partagée avec {to} (règle de partage {from} → {to}) : elle apparaît là-bas dans {list}, où ses partenaires peuvent y répondre, et ses rappels d’échéance y sont aussi envoyés.",
  "rfi.referralKept": "to={name} ignoré : {ref} a été transmise à {to}, elle reste donc chez {to}.",
  "rfi.question": "Q : {question}",
  "rfi.answer": "R : {answer}",
  "rfi.reason": "Motif : {reason}",
  "rfi.accepted": "✅ {ref} acceptée par {by}{notified}",
  "rfi.deferred": "✅ {ref} reportée par {by}{notified}",
  "rfi.denied": "✅ {ref} refusée par {by}{notified}",
  "rfi.closed": "✅ {ref} clôturée par {by}{notified}",
  "rfi.answered": "✅ {ref} : réponse de {by}{notified}",
  "rfi.answerUpdated": "✅ {ref} : réponse mise à jour par {by}{notified}",
  "rfi.referred": "✅ {ref} transmise à {to} par {by}{notified}",
  "rfi.notified": " · {user} prévenu",
  "rfi.by": "{name} ({partner})",
  "rfi.withdrawn":
    "✅ {ref} retirée : son message a été supprimé. Elle n’attend plus de réponse ; le journal d’audit la conserve.",
  "rfi.alreadyWithdrawn": "{ref} était déjà retirée.",
  "rfi.noDeadline": "sans échéance",
  "rfi.overdueSince": "⏰ EN RETARD depuis {at} ({late})",
  "rfi.ltiov": "LTIOV {at}",
  "rfi.neededBy": "réponse attendue avant {at} (dans {left})",
  "rfi.for": "pour {to}",
  "rfi.line": "{fields}",
  "rfi.listNone": "Aucune RFI {filter} dans ce salon.",
  "rfi.listHeadOne": "1 RFI {filter} dans ce salon, la plus récente d’abord :",
  "rfi.listHead": "{total} RFI {filter} dans ce salon, les plus récentes d’abord :",
  "rfi.listMore": "… et {more} autres.",
  "rfi.filterOpen": "en attente de réponse",
  "rfi.filterMine": "émises par vous",
  "rfi.filterOverdue": "en retard",
  "rfi.filterAll": "dans tous les états",
  "rfi.reminder": "⏰ {ref} ({priority}) pour {to} arrive à échéance dans {left} : {question}",
  "rfi.overdue": "⏰ {ref} ({priority}) pour {to} est désormais EN RETARD (LTIOV {at}) : {question}",

  "alert.headFor": "{alert} pour {ref} :",
  "alert.headText": "{alert} (alerte texte) :",
  "alert.lineRelayed": '→ {room} : relayée (règle "{rule}"){suffix}',
  "alert.linePending": '→ {room} : nécessite {needs} dans {source} (règle "{rule}"), jusqu’à {until}{suffix}',
  "alert.lineRefused": "→ {room} : non envoyée — {reason}",
  "alert.suffix": " : {what}",
  "alert.removed": "{fields} supprimés",
  "alert.coarsened": "position dégradée à {size}",
  "alert.needsOne": "1 approbation ({who})",
  "alert.needsMany": "{count} approbations (rôle {role})",
  "alert.anRole": "rôle {role}",
  "alert.aRole": "rôle {role}",
  "alert.howToApprove":
    "Réagissez ✅ pour approuver ou ❌ pour refuser (rôle {role} de {room}), ou {approve} {alert} / {deny} {alert} -- motif.",
  "alert.reason.noRule": "aucune règle de {from} vers {to}",
  "alert.reason.kind": 'la règle "{rule}" ne partage pas le type {kind}',
  "alert.reason.neverLeaves": "{tlp} ne quitte jamais ce salon",
  "alert.reason.tlp": '{tlp} dépasse la limite {max} de la règle "{rule}"',
  "alert.reason.rel": "{rel} n’inclut pas {missing}",
  "alert.reason.forward": 'une copie relayée ne peut pas être diffusée plus loin en alerte (règle "{rule}")',
  "alert.banner": "⚠ ALERTE {alert} · {tlp}{rel}",
  "alert.correctionBanner": "⚠ RECTIFICATIF {alert} · {tlp}{rel}",
  "alert.relSuffix": " · {rel}",
  "alert.near": "{what} près de {position}",
  "alert.fromSighting": "De {room} ({ref}) : {fields}",
  "alert.fromRfi": "De {room} ({details}) : {question}",
  "alert.fromText": "De {room} : {text}",
  "alert.approvedBy": "Approuvée par {names}",
  "alert.auto": 'Relayée automatiquement (règle "{rule}")',
  "alert.approved": "✅ {alert} approuvée par {by} · relayée vers {rooms}",
  "alert.counted": "✅ {alert} : approbation de {by} prise en compte · {rooms} : {needs}",
  "alert.stillNeeds": "encore {more} nécessaire(s)",
  "alert.denied": "❌ {alert} refusée par {by}",
  "alert.deniedWhy": "❌ {alert} refusée par {by} : {reason}",
  "alert.expired": "⏰ {alert} expirée sans approbation : non envoyée à {rooms}",
  "alert.notRequester":
    '❌ {alert} : vous en êtes le demandeur, et la règle "{rule}" exige l’approbation de quelqu’un d’autre',
  "alert.needsRole": "❌ {alert} : nécessite le rôle {role} dans {room} ; vos rôles : {has}",
  "alert.notPartner":
    "❌ {alert} : seules les personnes de {partners}, partenaires de {room}, peuvent en décider ; vous relevez de {partner}",
  "alert.notPending": "❌ {alert} n’attend pas de décision : {states}",
  "alert.targetState": "{room} {outcome}",
  "alert.alreadyDecided":
    "❌ {alert} : vous avez déjà décidé ({decision}) ; chaque personne ne compte qu’une fois.",
  "alert.recall":
    "⚠ ANNULATION {alert} : {ref} a été retirée dans {room} ; ne tenez pas compte de cette alerte.",
  "alert.recallCorrected":
    "⚠ ANNULATION {alert} : {ref} a été corrigée dans {room} et ne peut peut-être plus être partagée ici ; ne tenez pas compte de cette alerte.",
  "alert.recalledLine": "⚠ {alert} annulée dans {rooms}",
  "alert.withdrawnLine": "{alert} retirée avant son envoi à {rooms}",
  "alert.correctedLine": "{alert} : rectificatif envoyé à {rooms}",
  "sightings.received": "{ref} (reçue : {alert} de {room})",

  "rules.none": "Aucune règle de partage depuis ou vers {room} : rien ne sort de ce salon, rien n’y arrive.",
  "rules.head": "Règles de partage depuis et vers {room} :",
  "rules.line": "{name} : {kinds} · jusqu’à {tlp} · {approval} · {redact} · {precision} · {forward}",
  "rules.auto": "automatique",
  "rules.approval": "{count} × {role}{notRequester}, expire après {expires}",
  "rules.notRequester": " (hors demandeur)",
  "rules.redactNone": "rien de supprimé",
  "rules.redact": "supprime {fields}",
  "rules.precisionNone": "positions telles quelles",
  "rules.precision": "positions à {size}",
  "rules.forward": "peut être diffusée plus loin en alerte",
  "rules.noForward": "pas de rediffusion en alerte",
  "rules.dryHead": "Simulation pour {ref}, rien n’est envoyé :",
  "rules.dryRelay": '→ {room} : serait relayée (règle "{rule}") : {goes}',
  "rules.dryPending": '→ {room} : nécessiterait {needs} dans {source} (règle "{rule}") : {goes}',
  "rules.dryRefused": "→ {room} : ne partirait pas — {reason}",
  "rules.noRooms": "Aucun autre salon configuré vers lequel envoyer {ref}.",
  "rules.goes": "part : {kept}",
  "rules.goesRemoved": "part : {kept} ; supprimé : {removed}",

  "digest.daily": "SYNTHÈSE QUOTIDIENNE",
  "digest.title": "SYNTHÈSE",
  "digest.head": "{title} · {room} · {from} → {to} ({zone}) · {marking}",
  "digest.headLate": "{title} · {room} · {from} → {to} ({zone}) · {marking} · EN RETARD (publiée {posted})",
  "digest.period": "Période {from} → {to}",
  "digest.noSightings": "Aucune observation",
  "digest.sightings": "Observations {total} ({kinds})",
  "digest.sightingsCorroborated": "Observations {total} ({kinds}) · {corroborated} recoupées",
  "digest.kindCount": "{kind} {count}",
  "digest.notable": "  {fields}",
  "digest.corroboratedBy": "⚠ recoupée par {count}",
  "digest.receivedFrom": "⇐ de {from}",
  "digest.receivedFromAlert": "⇐ de {from} ({alert})",
  "digest.more": "  et {more} autres — {command}",
  "digest.noRfis": "RFI : aucune ouverte, traitée ou à échéance",
  "digest.rfis": "RFI : {parts}",
  "digest.rfisOpened": "{count} ouvertes",
  "digest.rfisAnswered": "{count} avec réponse ({which})",
  "digest.rfisOverdue": "{count} en retard ({which})",
  "digest.rfisNearing": "{count} proches de la LTIOV ({which})",
  "digest.rfiAfter": "{ref}, {after}",
  "digest.rfiTo": "{ref}, {to}",
  "digest.rfiLeft": "{ref}, reste {left}",
  "digest.shared": "Partage : {out} · {received} reçues",
  "digest.alertsOut": "{count} alertes émises",
  "digest.alertsOutHow": "{count} alertes émises ({how})",
  "digest.alerts.approved": "{count} approuvées",
  "digest.alerts.denied": "{count} refusées",
  "digest.alerts.refused": "{count} rejetées",
  "digest.alerts.pending": "{count} en attente",
  "digest.awaiting": "En attente d’approbation : {which}",
  "digest.awaitingMore": "En attente d’approbation : {which} et {more} autres",
  "digest.awaitingOne": "{ref} (depuis {since})",
  "digest.mapCaption": "Carte · {room} · {period} ({zone}) · {marking}",
  "digest.next": "{local} ({dtg})",
  "digest.never": "jamais (le programme ne désigne aucune date à venir)",
  "digest.setBy": "par {by} {at}",
  "digest.scheduled":
    "✅ Synthèse de {room} programmée : {cron} ({tz}) · prochaine {next}. Ce programme remplace celui de tearline.yaml jusqu’à {reset}.",
  "digest.turnedOff":
    "✅ Synthèses programmées désactivées dans {room} jusqu’à {schedule} (nouveau programme) ou {reset} (celui de tearline.yaml).",
  "digest.resetFile": "✅ {room} revient au programme de synthèse de tearline.yaml : {cron} ({tz}).",
  "digest.resetNone": "✅ {room} revient à tearline.yaml, qui ne programme aucune synthèse ici.",
  "digest.showNone": "Aucune synthèse programmée pour {room}. Pour en programmer une : {example}",
  "digest.showOff":
    "Synthèses programmées désactivées dans {room} (depuis la discussion {by}). {reset} revient au programme de tearline.yaml.",
  "digest.showFile":
    "Synthèse de {room} : {cron} ({tz}) selon tearline.yaml · prochaine {next} · une synthèse manquée est publiée jusqu’à {grace} après l’heure.",
  "digest.showChat":
    "Synthèse de {room} : {cron} ({tz}), programmée depuis la discussion {by} · prochaine {next} · une synthèse manquée est publiée jusqu’à {grace} après l’heure. {reset} revient à celui de tearline.yaml.",

  "alert.keepsMarking":
    "une observation ou une RFI conserve son propre marquage et son texte : tlp=, rel= et -- texte ne s’emploient que pour une alerte texte.",
  "alert.noTargets":
    "aucune règle de partage depuis {room} ne désigne un autre salon ; demandez à l’exploitant, ou désignez-en un avec to=.",
  "alert.notHere": "il n’y a pas de {ref} dans ce salon.",
  "alert.notRoom": "{input} n’est pas un salon configuré. Salons : {rooms}.{hint}",
  "alert.oneRecord": "{input} n’est pas compris : une seule fiche par alerte.",
  "alert.retracted": "{ref} a été retirée, elle ne peut donc pas faire l’objet d’une alerte.",
  "alert.rfiNotHere": "{ref} n’a pas été émise dans ce salon.",
  "alert.sayWhat":
    "précisez l’objet de l’alerte : une observation (S-112), une RFI (RFI-40), ou un texte après --.",
  "alert.textLong": "le texte fait {length} caractères : restez sous {max}.",
  "alert.toEmpty": "to= exige au moins un salon.",
  "export.formatInvalid": "{input} n’est pas un format d’export : {formats}.{hint}",
  "export.formatMissing": "Précisez le format : {formats}.",
  "export.notConfigured":
    "les exports concernent les salons configurés dans tearline.yaml ; ce salon n’en fait pas partie.",
  "course.invalid": "{input} n’est pas une route : donnez des degrés vrais de 000 à 359.",
  "course.magnetic": "{input} est une route magnétique ; Tearline enregistre les routes en degrés vrais.",
  "course.range": "La route {input} est hors limites : les degrés vont de 000 à 359.",
  "cron.backwards": "est une plage inversée",
  "cron.dayOfMonth": "jour du mois",
  "cron.dayOfWeek": "jour de la semaine",
  "cron.field": "{cron} : le champ {field} {input} {why}.",
  "cron.fieldCount":
    "{cron} compte {count} champs, et non 5 (minute heure jour-du-mois mois jour-de-la-semaine).",
  "cron.hour": "heure",
  "cron.minute": "minute",
  "cron.month": "mois",
  "cron.notStep": "n’est ni un nombre, ni une plage, ni un pas",
  "cron.notStepOrName": "n’est ni un nombre ou un nom ({names}…), ni une plage, ni un pas",
  "cron.outside": "est hors de {min}–{max}",
  "cron.seconds": "{cron} compte 6 champs : retirez les secondes, les synthèses partent à la minute.",
  "cron.stepZero": "a un pas de 0",
  "decide.oneRef": "donnez une seule référence d’alerte (A-31), et un motif après --.",
  "digest.cronInvalid": "{error} Champs cron : minute heure jour-du-mois mois jour-de-la-semaine.",
  "digest.cronMissing": "donnez le programme sous forme d’expression cron entre guillemets.",
  "digest.cronQuotes": "mettez l’expression cron entre guillemets : {input} compte {words} mots.",
  "digest.justPosted":
    "une synthèse vient d’être publiée pour ce salon à l’instant ; redemandez dans une minute.",
  "digest.noMoreWords": "{command} n’accepte pas d’autres mots ({input}).",
  "digest.notAction": "{input} n’est pas une action de !digest : {actions}.{hint}",
  "digest.optionNone": "{option} n’est pas une option de {command} (elle n’en accepte aucune).",
  "digest.optionSome": "{option} n’est pas une option de {command} (options : {options}).",
  "digest.roomNotConfigured":
    "les synthèses concernent les salons configurés dans tearline.yaml ; ce salon n’en fait pas partie.",
  "digest.sayWhat": "Précisez l’action : {actions}.{hint}",
  "digest.scheduleRoles": "modifier le programme des synthèses exige l’un de ces rôles : {roles}.",
  "digest.tzInvalid":
    "{input} n’est pas un fuseau horaire : utilisez un nom IANA (Zone/Ville), p. ex. America/Bogota, Europe/Madrid, Africa/Lagos ou UTC.",
  "e.arguments": "les arguments n’ont pas été compris",
  "e.didYouMean": " Vouliez-vous dire {guess} ?",
  "e.noneConfigured": "aucun configuré",
  "e.or": "{a} ou {b}",
  "grading.credibility":
    "La crédibilité {digit} dans {input} n’est pas entre 1 et 6 : la fiabilité est une lettre A–F, la crédibilité un chiffre 1–6.",
  "grading.invalid":
    "{input} n’est pas une cotation de source : la fiabilité est une lettre A–F, la crédibilité un chiffre 1–6.",
  "grading.reliability":
    "La fiabilité {letter} dans {input} n’est pas entre A et F : la fiabilité est une lettre A–F, la crédibilité un chiffre 1–6.",
  "help.noCommand": "Il n’existe pas de commande {input}. Commandes : {names}.",
  "imo.checkDigit":
    "IMO {imo} : la clé de contrôle est fausse ; vérifiez le numéro (son dernier chiffre devrait être {digit}).",
  "imo.invalid": "{input} n’est pas un numéro IMO : il compte 7 chiffres.",
  "kind.invalid": "{input} n’est pas un type d’observation. Types : {kinds}.{hint}",
  "mmsi.invalid": "{input} n’est pas un MMSI : un MMSI compte 9 chiffres.",
  "name.empty": "Le nom est vide : omettez-le, ou mettez-le entre guillemets.",
  "name.invalid": "{input} n’est pas un nom : une seule ligne de {max} caractères au plus.",
  "options.takes": "{option} n’est pas une option de {command} : elle accepte {options}.",
  "options.takesNone": "{option} n’est pas une option de {command} : elle n’accepte aucune option.",
  "options.unknownList": "{option} n’est pas une option de {command}. Options : {options}.{hint}",
  "period.invalid": "{input} n’est pas une durée : écrivez un nombre et une unité, m, h, d ou w.",
  "period.noUnit": "{input} n’a pas d’unité : ajoutez m (minutes), h (heures), d (jours) ou w (semaines).",
  "period.tooLong": "{input} est une durée trop longue : remontez au plus {max} jours (environ 10 ans).",
  "period.zero": "{input} est une durée nulle : donnez une durée supérieure à zéro.",
  "plate.invalid": "{input} n’est pas une plaque : jusqu’à 12 lettres et chiffres.",
  "position.bareNumber":
    "{input} comporte un nombre isolé après la position : donnez une route avec course= et un nom avec name=.",
  "position.decimalCommas":
    "{input} semble utiliser des virgules décimales ; utilisez un point pour les décimales et une virgule entre latitude et longitude.",
  "position.latitudeRange": "La latitude dans {input} dépasse 90° : les latitudes vont de 90°S à 90°N.",
  "position.longitudeRange": "La longitude dans {input} dépasse 180° : les longitudes vont de 180°W à 180°E.",
  "position.mgrsBand":
    "La bande de latitude MGRS {band} dans {input} n’existe pas : les bandes vont de C à X, sans I ni O.",
  "position.mgrsColumn":
    "Le carré MGRS {square} dans {input} n’existe pas dans la zone {zone} : sa première lettre est l’une de {columns}.",
  "position.mgrsDigits":
    "MGRS {input} compte {digits} chiffres : donnez un nombre pair, 10 au plus (abscisse, puis ordonnée).",
  "position.mgrsNowhere":
    "MGRS {input} n’existe pas : le carré {square} n’est pas dans la zone {zone}, bande {band}. Vérifiez les lettres.",
  "position.mgrsRow":
    "Le carré MGRS {square} dans {input} n’existe pas : sa deuxième lettre va de A à V, sans I ni O.",
  "position.mgrsUneven":
    "MGRS {input} compte {easting} chiffres d’abscisse et {northing} d’ordonnée : il en faut autant de chaque.",
  "position.mgrsZone": "La zone MGRS {zone} dans {input} n’existe pas : les zones vont de 1 à 60.",
  "position.minutesOver": "Les minutes dans {input} doivent être inférieures à 60.",
  "position.missing": "Il manque une position.",
  "position.needsComma": "{input} nécessite une virgule entre latitude et longitude.",
  "position.notAPosition":
    "{input} n’est pas une position : donnez latitude,longitude, des degrés et minutes avec N/S et E/W, ou du MGRS.",
  "position.notMgrs":
    "{input} n’est pas une référence MGRS : zone, bande, carré, puis chiffres d’abscisse et d’ordonnée.",
  "position.oneCoordinate":
    "{input} ne comporte qu’une coordonnée : donnez la latitude (N/S) et la longitude (E/W).",
  "position.oneNumber":
    "{input} ne comporte qu’un nombre : donnez la latitude et la longitude, séparées par une virgule.",
  "position.secondsOver": "Les secondes dans {input} doivent être inférieures à 60.",
  "position.tooManyCommas":
    "{input} comporte trop de virgules : utilisez un point pour les décimales et une seule virgule entre latitude et longitude.",
  "position.twoLatitudes": "{input} donne deux latitudes (N/S) : l’une doit être une longitude avec E ou W.",
  "position.twoLongitudes": "{input} donne deux longitudes (E/W) : l’une doit être une latitude avec N ou S.",
  "radius.invalid": "{input} n’est pas un rayon : donnez un nombre avec nm ou km.",
  "radius.range": "Le rayon {input} doit être supérieur à 0 et d’au plus 1000 nm.",
  "reader.noValue":
    'L’option {option} n’a pas de valeur : écrivez la valeur juste après le "=", sans espace.',
  "reader.twice": "L’option {option} est donnée deux fois ({first} et {second}) : donnez-la une seule fois.",
  "reader.unclosed":
    "Le guillemet avant {text} n’est pas fermé : terminez le texte cité par le même guillemet.",
  "ref.invalid": "{input} n’est pas une référence du type {example}.",
  "rel.empty": "{option} exige au moins un code partenaire. Partenaires : {partners}.",
  "rel.noPartners": "aucun n’est configuré",
  "rel.unknownMany": "{codes} ne sont pas des codes partenaires. Partenaires : {partners}.{hint}",
  "rel.unknownOne": "{codes} n’est pas un code partenaire. Partenaires : {partners}.{hint}",
  "retract.already": "{ref} était déjà retirée.",
  "retract.notAllowed":
    "seul {reporter}, auteur du signalement {ref}, ou un officier de permanence de ce salon peut la retirer.",
  "retract.oneRef": "donnez une seule référence d’observation, et un motif après --.",
  "rfi.actNotAllowed.accept":
    "{ref} est destinée à {to} : seul {who} ou un officier de permanence peut l’accepter (vous relevez de {partner}).",
  "rfi.actNotAllowed.answer":
    "{ref} est destinée à {to} : seul {who} ou un officier de permanence peut y répondre (vous relevez de {partner}).",
  "rfi.actNotAllowed.close":
    "{ref} est destinée à {to} : seul {who} ou un officier de permanence peut la clôturer (vous relevez de {partner}).",
  "rfi.actNotAllowed.defer":
    "{ref} est destinée à {to} : seul {who} ou un officier de permanence peut la reporter (vous relevez de {partner}).",
  "rfi.actNotAllowed.deny":
    "{ref} est destinée à {to} : seul {who} ou un officier de permanence peut la refuser (vous relevez de {partner}).",
  "rfi.actNotAllowed.refer":
    "{ref} est destinée à {to} : seul {who} ou un officier de permanence peut la transmettre (vous relevez de {partner}).",
  "rfi.actNotAllowed.withdraw":
    "{ref} est destinée à {to} : seul {who} ou un officier de permanence peut la retirer (vous relevez de {partner}).",
  "rfi.addressPartner": "adressez-la à un partenaire avec to=",
  "rfi.addressPartners": "adressez-la à un partenaire ({options})",
  "rfi.askRoles": "émettre une RFI exige l’un de ces rôles : {roles}.",
  "rfi.cannot": "{ref} est {status}, elle ne peut donc pas être {action}.",
  "rfi.cannotChange": "{ref} est {status}, elle ne peut donc pas être modifiée : émettez une nouvelle RFI.",
  "rfi.cannotCloseHint":
    "{ref} est {status}, elle ne peut donc pas être {action}. Son émetteur peut la clôturer.",
  "rfi.cannotGo": "{ref} ne peut pas aller vers {room} : {why}. Demandez à l’exploitant, ou à {partner}.",
  "rfi.closeNotAllowed": "seul son émetteur ({originator}) ou un officier de permanence peut clôturer {ref}.",
  "rfi.editAsk": "{ref} a été émise avec {command} ; une modification ne peut changer que la demande.",
  "rfi.itsAddressee": "son destinataire",
  "rfi.ltiovPassed":
    "La LTIOV {ltiov} est déjà dépassée (il est {now}) : l’échéance de la réponse doit être postérieure à maintenant.",
  "rfi.noPartner": "aucun partenaire",
  "rfi.noRule": "aucune règle de partage de {from} vers {to} n’autorise les RFI",
  "rfi.notAction": "{input} n’est pas une action possible sur une RFI. Actions : {actions}.{hint}",
  "rfi.notAddressee": "{input} n’est ni un partenaire ni un salon. Partenaires : {partners}.{rooms}{hint}",
  "rfi.notAnRfi": "{ref} n’est pas une RFI.",
  "rfi.notHere": "{ref} n’est pas une RFI de ce salon.",
  "rfi.notList": "{input} n’est pas une liste : utilisez {filters}.",
  "rfi.notRoomId":
    "{input} n’est pas l’un des salons configurés ; désignez un partenaire ou un salon. Salons : {rooms}.",
  "rfi.priorityInvalid": "{input} n’est pas une priorité de RFI. Priorités : {priorities}.{hint}",
  "rfi.questionAfter": "{input} n’est pas compris : la question se place après --.",
  "rfi.referNeedsTo": "refer exige to= : le partenaire ou le salon auquel la transmettre.",
  "rfi.referNotAllowed":
    "seul son émetteur ({originator}) ou un officier de permanence de {partners} peut transmettre {ref} à un salon (vous êtes {you}).",
  "rfi.roomNotConfigured":
    "son salon n’est pas dans tearline.yaml, aucune règle de partage ne le couvre donc",
  "rfi.roomPartners": "les partenaires de son salon",
  "rfi.rooms": " Salons : {rooms}.",
  "rfi.sayWhat": "précisez l’action : {actions}.",
  "rfi.sayWho": "précisez qui doit répondre avec to= : un code partenaire ou un salon.",
  "rfi.state.accepted": "acceptée",
  "rfi.state.answered": "répondue",
  "rfi.state.closed": "clôturée",
  "rfi.state.deferred": "reportée",
  "rfi.state.denied": "refusée",
  "rfi.state.open": "ouverte",
  "rfi.state.referred": "transmise",
  "rfi.state.withdrawn": "retirée",
  "rfi.textAfter": "{input} n’est pas compris : placez le texte après --.",
  "rfi.textLong": "{what} fait {length} caractères : restez sous {max}.",
  "rfi.textMissing": "{what} manque : écrivez-la après --.",
  "rfi.theAnswer": "La réponse",
  "rfi.theQuestion": "La question",
  "rfi.this": "Cette RFI",
  "rfi.which": "quelle RFI ? Donnez sa référence après {action}.",
  "rfi.youNoPartner": "sans partenaire",
  "rfi.youWith": "de {partner}",
  "rfi.youWithNotDuty": "de {partner}, pas officier de permanence",
  "rules.oneRef": "donnez au plus une référence : une observation (S-112) ou une alerte (A-31).",
  "rules.roomNotConfigured":
    "ce salon n’est pas dans tearline.yaml, aucune règle de partage ne le couvre donc.",
  "sight.kindMissing": "le type d’observation manque. Types : {kinds}.",
  "sight.notRostered": "seules les personnes inscrites à l’annuaire peuvent enregistrer des observations.",
  "sight.remarksLong": "les remarques font {length} caractères : restez sous {max}.",
  "sight.retracted":
    "{ref} a été retirée, elle ne peut donc pas être corrigée : enregistrez une nouvelle observation.",
  "sight.twoNames": "deux noms sont donnés, {first} et {second} : n’en donnez qu’un.",
  "sighting.notHere": "{ref} n’est pas une observation de ce salon.",
  "sighting.notLiveHere": "{ref} n’est pas une observation active de ce salon.",
  "sightings.notUnderstood": "{input} n’est pas compris : donnez les filtres sous la forme key=value.",
  "sightings.radiusNeedsNear": "radius= exige near= (le centre du cercle).",
  "speed.invalid":
    "{input} n’est pas une vitesse : donnez un nombre avec kt ou km/h (un nombre seul s’entend en nœuds).",
  "speed.mph":
    "{input} n’est pas une vitesse : les miles par heure ne sont pas acceptés ; donnez kt ou km/h.",
  "speed.tooFast": "La vitesse {input} dépasse {max} kt ; vérifiez le nombre et l’unité.",
  "tail.invalid":
    '{input} n’est pas une immatriculation d’aéronef : lettres et chiffres avec au plus un "-".',
  "time.dayRange": "Le jour {day} dans {input} n’existe pas : {month} {year} compte {days} jours.",
  "time.future":
    "{dtg} est {ahead} dans le futur (il est {now}) : vérifiez le jour, la lettre de fuseau et le mois.",
  "time.hourRange": "L’heure {hour} dans {input} est hors limites : les heures vont de 00 à 23.",
  "time.invalid":
    "{input} n’est pas une heure : écrivez un GDH (jour, heure, minute, lettre de fuseau, mois, année) ou de l’ISO 8601 avec un fuseau.",
  "time.isoInvalid": "{input} n’est pas une heure : en ISO 8601, on écrit 2026-11-28T15:30Z.",
  "time.minuteRange": "La minute {minute} dans {input} est hors limites : les minutes vont de 00 à 59.",
  "time.monthRange": "Le mois {month} dans {input} n’existe pas : les mois vont de 01 à 12.",
  "time.noTimeOfDay": "{input} n’indique pas l’heure : ajoutez-la, avec un fuseau.",
  "time.noZone": "{input} n’a pas de fuseau horaire : ajoutez Z pour UTC ou un décalage tel que -05:00.",
  "time.noZoneLetter":
    "{input} n’a pas de lettre de fuseau : mettez Z (UTC) ou la lettre du fuseau après l’heure.",
  "time.notAMonth": "{month} dans {input} n’est pas un mois : utilisez {months}.",
  "time.offsetRange":
    "Le décalage {offset} dans {input} est hors limites : les décalages vont de -12:00 à +14:00.",
  "time.secondRange": "La seconde {second} dans {input} est hors limites : les secondes vont de 00 à 59.",
  "time.yearNoMonth": "{input} comporte une année mais pas de mois : écrivez le mois avant l’année.",
  "time.zoneJ":
    "La lettre de fuseau J (heure locale) dans {input} est ambiguë : utilisez Z (UTC) ou la lettre du fuseau, p. ex. R pour UTC−5.",
  "tlp.invalid": "{input} n’est pas un marquage TLP. Marquages : {markings}.{hint}",
  "tlp.white": "{input} est l’ancien nom : TLP 2.0 a renommé TLP:WHITE en TLP:CLEAR.",
};
