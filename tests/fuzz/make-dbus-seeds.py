#!/usr/bin/python3
"""Writes the seed corpus of fuzz-dbus (corpus/dbus/): real calls a
client makes, as the fuzz target reads them — a method number, a
workflow number, the arguments serialized as a GVariant.

Needs PyGObject (python3-gi); only for changing the seeds."""
import json
import os
import sys

import gi
gi.require_version('GLib', '2.0')
from gi.repository import GLib

# As in fuzz-dbus.c.
METHODS = ['SetConnection', 'GetConnection', 'GetWorkflow', 'SetConfig', 'Replay',
           'RetryError', 'GetErrors', 'GetHistory', 'GetActivity']
SIGNATURES = ['(sa{sv})', '(s)', '(s)', '(s)', '(s)', '(x)', '(uu)', '(u)', '(s)']
WORKFLOWS = ['ingress', 'egress', 'optinout']

here = os.path.dirname(os.path.abspath(__file__))
defaults = json.load(open(os.path.join(here, 'corpus', 'config', 'defaults.json')))


def settings(pairs):
    return {key: GLib.Variant('s', value) for key, value in pairs.items()}


SEEDS = [
    ('set-dynamics', 'SetConnection', 'ingress',
     ('dynamics', settings({'url': 'https://contoso.crm4.dynamics.com',
                            'tenant': '8f3c1b2e-5d4a-4c7b-9e1f-2a3b4c5d6e7f',
                            'client-id': '2b7e4c1d-9a8f-4e3d-b2c1-0f9e8d7c6b5a',
                            'secret': 'xQ8~s3cret-value'}))),
    ('set-campaign', 'SetConnection', 'ingress',
     ('campaign', settings({'org': '9A3F1C2B5D4E6F7A8B9C0D1E@AdobeOrg',
                            'api-key': '5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f',
                            'journal-url': 'https://events.adobe.io/events/organizations/1/integrations/2/3',
                            'ims-url': 'http://localhost:8080/ims/token/v3'}))),
    ('set-header-smuggled', 'SetConnection', 'ingress',
     ('dynamics', settings({'url': 'http://127.0.0.1:1/\r\nHost: evil'}))),
    ('get-campaign', 'GetConnection', 'ingress', ('campaign',)),
    ('get-workflow', 'GetWorkflow', 'ingress', ('optinout',)),
    ('replay-all', 'Replay', 'egress', ('all',)),
    ('replay-since', 'Replay', 'ingress', ('2026-01-31T00:00:00Z',)),
    ('retry-error', 'RetryError', 'ingress', (42,)),
    ('get-errors', 'GetErrors', 'optinout', (0, 50)),
    ('get-history', 'GetHistory', 'egress', (100,)),
    ('get-activity', 'GetActivity', 'ingress', ('hour',)),
]
for workflow in WORKFLOWS:
    config = json.dumps(defaults['workflows'][workflow]['edited'])
    SEEDS.append(('set-config-' + workflow, 'SetConfig', workflow, (config,)))

out = os.path.join(here, 'corpus', 'dbus')
os.makedirs(out, exist_ok=True)
for name, method, workflow, args in SEEDS:
    index = METHODS.index(method)
    value = GLib.Variant(SIGNATURES[index], args)
    data = bytes([index, WORKFLOWS.index(workflow)]) + bytes(value.get_data_as_bytes().get_data())
    with open(os.path.join(out, name + '.bin'), 'wb') as f:
        f.write(data)
print('wrote', len(SEEDS), 'seeds to', out, file=sys.stderr)
