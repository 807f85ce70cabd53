"""产业对接 (industry matchmaking).

* Inquiries (“我要对接”) from case, technology and city pages and from board posts:
  `views` → `forms.InquiryForm` → `services.create_inquiry` (stored first, then the requester's
  confirmation and the notifications to the city's editors / the technology's provider contact /
  the poster, and the platform inbox from `MatchmakingSettings`).
* The staff inbox and board moderation in the Wagtail admin (`wagtail_hooks`, `admin_views`);
  who sees which inquiry is `selectors.inquiries_visible_to` (Wagtail page permissions).
* The needs-and-capacities board (`models.BoardPost`), moderated before it is public; contact
  details are never public, and board posts are not pages, so the exchange search never indexes
  them.
* Match suggestions: `matching` (pure scoring with explanations) over profiles built by
  `selectors`; `python manage.py send_match_digest` (daily from cron) emails new matches.
* Abuse and privacy: honeypot and per-IP limits (`ratelimit`), GB 32100 credit codes and phone
  numbers (`validators`), anonymisation (`services.anonymise_*`, `manage.py anonymise_requester`).
"""
