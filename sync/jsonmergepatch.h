// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QJsonObject>

namespace hcp::sync {

// JSON Merge Patch (RFC 7386) over objects, and the list of what a patch changes. The one
// place where "a pushed configuration is a patch, not a replacement" is defined: the kiosk
// applies a pushed "kiosk" part over its current settings with it, the hub layers the scopes
// of a device (default → class → hall → device) with it and previews a push with diff().
// Pure functions; no I/O.
namespace JsonMergePatch {

// target with patch applied: a key whose patch value is null is removed, an object value is
// merged into the target's object of the same key, anything else replaces the target's value.
QJsonObject apply(QJsonObject target, const QJsonObject &patch);

// Two patches as one: applying layer(below, above) equals applying below, then above. A null
// in `above` stays a null (it still resets the key where the result is applied).
QJsonObject layer(QJsonObject below, const QJsonObject &above);

// What changes from `before` to `after`, leaves only, sorted by path:
// [{"path":"kiosk.pad.windowNo","before":…,"after":…}] ("before"/"after" absent = no such key).
// Arrays are compared whole.
QJsonArray diff(const QJsonObject &before, const QJsonObject &after);

} // namespace JsonMergePatch

} // namespace hcp::sync
