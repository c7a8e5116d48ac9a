#!/usr/bin/env python3
"""What the two servers themselves need for a sync, with no sync tool in the way.

A plain IMAP client sends only the commands no synchronizing client can avoid, one connection
per server, the two servers overlapping, nothing stored. The time it takes is a floor for any tool
on the same servers and machine (the rows of bench/speed-bench.sh that cannot reach their goal are
compared with it). Measured twice: without TLS, and connected as the benchmarks connect (local
STARTTLS, remote IMAPS, both verifying the rig's certificate; without COMPRESS, which Python's
imaplib lacks).

  eval "$(bin/rig env | sed 's/^/export /')"; bench/server-floor.py [MAILBOXES]

A fresh user of the rig gets MAILBOXES (1000) mailboxes of one message each on the local server,
as bench/speed-bench.sh's "mailboxes" row has them (not timed). Then:
  initial:   local: SELECT and UID FETCH of the message; remote: CREATE, SUBSCRIBE, SELECT, APPEND;
  no change: LOGIN, ENABLE QRESYNC and LIST-STATUS on both servers at once: the first time after
             the initial (the servers then update the indexes of every mailbox the initial
             touched, as in the benchmarks' first run after their initial one), then the median of 9.
"""
import imaplib
import os
import queue
import random
import ssl
import sys
import threading
import time

# imaplib checks each command against the session state it thinks the connection is in
for command in ('SELECT', 'UID', 'CREATE', 'APPEND', 'SUBSCRIBE', 'ENABLE', 'LIST'):
    imaplib.Commands[command] = ('AUTH', 'SELECTED')


RIG = os.environ
TLS = False  # connect as the benchmarks do (see above)


def login(side, user):
    if TLS:
        context = ssl.create_default_context(cafile=RIG['RIG_CA_FILE'])
        if side == 'local':
            c = imaplib.IMAP4('127.0.0.1', int(RIG['RIG_LOCAL_IMAP_PORT']))
            c.starttls(ssl_context=context)
        else:
            c = imaplib.IMAP4_SSL('localhost', int(RIG['RIG_REMOTE_IMAPS_PORT']), ssl_context=context)
    else:
        c = imaplib.IMAP4('127.0.0.1', int(RIG['RIG_LOCAL_IMAP_PORT' if side == 'local' else 'RIG_REMOTE_IMAP_PORT']))
    c.login(user, 'secret')
    return c


def initial(user, mailboxes):
    local, remote = login('local', user), login('remote', user)
    names = ['INBOX'] + ['"Folder %d"' % i for i in range(1, mailboxes)]
    fetched = queue.Queue(maxsize=8)  # the local side reads ahead of the remote one

    def read_local():
        for name in names:
            local._simple_command('SELECT', name)
            local.state = 'SELECTED'
            _, data = local.uid('FETCH', '1:*', '(FLAGS INTERNALDATE BODY.PEEK[])')
            fetched.put((name, data[0][1]))
        fetched.put(None)

    start = time.time()
    reader = threading.Thread(target=read_local)
    reader.start()
    while (item := fetched.get()) is not None:
        name, body = item
        if name != 'INBOX':
            remote._simple_command('CREATE', name)
            remote._simple_command('SUBSCRIBE', name)
        remote._simple_command('SELECT', name)
        remote.state = 'SELECTED'
        remote.append(name, None, None, body)
    reader.join()
    return time.time() - start


def nochange(user, reps):
    def side(name):
        c = login(name, user)
        c._simple_command('ENABLE', 'QRESYNC')
        c._simple_command('LIST', '""', '*', 'RETURN (SUBSCRIBED STATUS (UIDVALIDITY UIDNEXT HIGHESTMODSEQ))')
        c.logout()

    times = []
    for _ in range(reps):
        start = time.time()
        threads = [threading.Thread(target=side, args=(name,)) for name in ('local', 'remote')]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        times.append(time.time() - start)
    return sorted(times)[len(times) // 2]


def populate(user, mailboxes):
    c = login('local', user)
    sizes = random.Random(42)  # the mix of sizes of bench/speed-bench.sh's corpus
    for i in range(mailboxes):
        name = 'INBOX' if i == 0 else '"Folder %d"' % i
        if i:
            c._simple_command('CREATE', name)
            c._simple_command('SUBSCRIBE', name)
        body = ('x' * 76 + '\r\n') * (sizes.choice([800, 2000, 4000, 8000, 30000]) // 78)
        c.append(name, None, None, ('Subject: floor %d\r\nMessage-ID: <floor.%d@example.org>\r\n\r\n%s' % (i, i, body)).encode())
    c.logout()


if __name__ == '__main__':
    if 'RIG_CA_FILE' not in RIG or any(a.startswith('-') for a in sys.argv[1:]):
        sys.exit(__doc__)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for TLS in (False, True):
        account = 'bench-floor-%d' % time.time()
        populate(account, count)
        how = 'TLS as the benchmarks' if TLS else 'no TLS'
        print('%d mailboxes x 1 msg, the servers alone (%s): initial %.2f s' % (count, how, initial(account, count)))
        print('%d mailboxes, the servers alone (%s): no change, first after the initial %.3f s'
              % (count, how, nochange(account, 1)))
        print('%d mailboxes, the servers alone (%s): no change %.3f s' % (count, how, nochange(account, 9)))
