<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Basemap</name>
    <message>
        <location filename="../../map/basemap.py" line="169"/>
        <source>tile {key} is not an image</source>
        <translation>ô bản đồ {key} không phải là ảnh</translation>
    </message>
    <message>
        <location filename="../../map/basemap.py" line="205"/>
        <location filename="../../map/basemap.py" line="257"/>
        <source>Base map could not be loaded: {reason}</source>
        <translation>Bản đồ nền không tải được: {reason}</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <location filename="../labels.py" line="28"/>
        <source>SQLite (embedded)</source>
        <translation>SQLite (nhúng)</translation>
    </message>
    <message>
        <location filename="../labels.py" line="29"/>
        <source>PostgreSQL (shared)</source>
        <translation>PostgreSQL (dùng chung)</translation>
    </message>
</context>
<context>
    <name>EventLogModel</name>
    <message>
        <location filename="../event_log_model.py" line="91"/>
        <source>No.</source>
        <translation>STT</translation>
    </message>
    <message>
        <location filename="../event_log_model.py" line="91"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../event_log_model.py" line="91"/>
        <source>User</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <location filename="../event_log_model.py" line="91"/>
        <source>Console</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <location filename="../event_log_model.py" line="92"/>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location filename="../event_log_model.py" line="92"/>
        <source>Subject</source>
        <translation>Đối tượng</translation>
    </message>
</context>
<context>
    <name>LayersDock</name>
    <message>
        <location filename="../layers_dock.py" line="43"/>
        <source>Trails (last 10 minutes)</source>
        <translation>Vệt di chuyển (10 phút gần nhất)</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="44"/>
        <source>Track playback</source>
        <translation>Phát lại hành trình</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="38"/>
        <source>Roads</source>
        <translation>Đường phố</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="1"/>
        <source>Custom period…</source>
        <translation>Khoảng thời gian tùy chọn…</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="1"/>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="1"/>
        <source>From:</source>
        <translation>Từ:</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="1"/>
        <source>To:</source>
        <translation>Đến:</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="1"/>
        <source>The start must be before the end.</source>
        <translation>Thời điểm bắt đầu phải trước thời điểm kết thúc.</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="24"/>
        <source>All open incidents</source>
        <translation>Tất cả vụ đang mở</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="25"/>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="26"/>
        <source>Last 6 hours</source>
        <translation>6 giờ qua</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="27"/>
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="28"/>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="34"/>
        <source>Ward boundaries</source>
        <translation>Ranh giới phường</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="35"/>
        <source>Incidents</source>
        <translation>Vụ việc</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="36"/>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="37"/>
        <source>Complex points</source>
        <translation>Điểm phức tạp</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="38"/>
        <source>Patrol units</source>
        <translation>Lực lượng tuần tra</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="47"/>
        <source>Map layers</source>
        <translation>Lớp bản đồ</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="61"/>
        <source>Incidents shown:</source>
        <translation>Vụ việc hiển thị:</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="92"/>
        <source>Opacity</source>
        <translation>Độ đậm</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="97"/>
        <source>Draw above</source>
        <translation>Vẽ lên trên</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="102"/>
        <source>Draw below</source>
        <translation>Vẽ xuống dưới</translation>
    </message>
    <message>
        <location filename="../layers_dock.py" line="132"/>
        <source>Coming in a later version.</source>
        <translation>Sẽ có ở phiên bản sau.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login_dialog.py" line="40"/>
        <source>gvcommand — Log in</source>
        <translation>gvcommand — Đăng nhập</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="43"/>
        <source>Gò Vấp Police command centre</source>
        <translation>Trung tâm chỉ huy Công an Gò Vấp</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="52"/>
        <source>e.g. nguyenvana</source>
        <translation>ví dụ: nguyenvana</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="58"/>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="59"/>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="67"/>
        <source>Console {console} · {mode}: {url}</source>
        <translation>Máy trạm {console} · {mode}: {url}</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="74"/>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="76"/>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="94"/>
        <source>Enter your user name and password.</source>
        <translation>Hãy nhập tên đăng nhập và mật khẩu.</translation>
    </message>
    <message numerus="yes">
        <location filename="../login_dialog.py" line="100"/>
        <source>Wrong user name or password. %n attempt(s) left before the account is locked for {minutes} minutes.</source>
        <translation>
            <numerusform>Sai tên đăng nhập hoặc mật khẩu. Còn %n lần thử trước khi tài khoản bị khoá {minutes} phút.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="106"/>
        <source>This account is locked after too many failed attempts until {time}. Wait, or ask an administrator to set a new password.</source>
        <translation>Tài khoản bị khoá đến {time} do đăng nhập sai quá nhiều lần. Hãy chờ, hoặc đề nghị quản trị viên đặt mật khẩu mới.</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="109"/>
        <source>This account is disabled; ask an administrator.</source>
        <translation>Tài khoản này đã bị vô hiệu hoá; hãy liên hệ quản trị viên.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="83"/>
        <source>gvcommand — Gò Vấp Police command centre</source>
        <translation>gvcommand — Trung tâm chỉ huy Công an Gò Vấp</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="85"/>
        <location filename="../main_window.py" line="239"/>
        <source>DEMO</source>
        <translation>DEMO</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="107"/>
        <source>DEMO MODE — practice data on this computer only; nothing here is real.</source>
        <translation>CHẾ ĐỘ DEMO — dữ liệu luyện tập, chỉ lưu trên máy này; không phải dữ liệu thật.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="161"/>
        <source>Event log</source>
        <translation>Nhật ký sự kiện</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169"/>
        <source>Camera wall</source>
        <translation>Màn hình camera</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="174"/>
        <source>Incidents</source>
        <translation>Vụ việc</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175"/>
        <source>Units</source>
        <translation>Lực lượng</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="185"/>
        <source>&amp;View</source>
        <translation>&amp;Hiển thị</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="187"/>
        <source>Theme</source>
        <translation>Giao diện</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="188"/>
        <source>Dark (night)</source>
        <translation>Tối (ca đêm)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="188"/>
        <source>Light (day)</source>
        <translation>Sáng (ban ngày)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="222"/>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="228"/>
        <source>Logged-in user and role</source>
        <translation>Người dùng đang đăng nhập và vai trò</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="229"/>
        <source>Console: {name}</source>
        <translation>Máy trạm: {name}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="241"/>
        <source>Demo mode: practice data, not real</source>
        <translation>Chế độ demo: dữ liệu luyện tập, không phải thật</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="353"/>
        <source>Connected</source>
        <translation>Đã kết nối</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="355"/>
        <source>Connection lost — reconnecting…</source>
        <translation>Mất kết nối — đang kết nối lại…</translation>
    </message>
    <message>
        <source>Dispatch a unit</source>
        <translation>Điều động một tổ</translation>
    </message>
    <message>
        <source>{unit} — {min} min</source>
        <translation>{unit} — {min} phút</translation>
    </message>
    <message>
        <source>Incident recorded.</source>
        <translation>Đã ghi nhận vụ việc.</translation>
    </message>
    <message>
        <source>Report linked to the existing incident.</source>
        <translation>Đã gộp tin báo vào vụ việc đã có.</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>Bị từ chối: {reason}</translation>
    </message>
    <message>
        <source>Database connection lost: {n} report(s) kept on this console and sent again automatically when it returns. Do not enter them twice.</source>
        <translation>Mất kết nối cơ sở dữ liệu: {n} tin báo được giữ trên máy này và tự gửi lại khi có kết nối. Đừng nhập lại lần nữa.</translation>
    </message>
    <message>
        <source>Commands not yet recorded</source>
        <translation>Lệnh chưa được ghi nhận</translation>
    </message>
    <message>
        <source>{n} command(s) are still waiting for the database and would be lost: {what}. Close anyway?</source>
        <translation>Còn {n} lệnh đang chờ cơ sở dữ liệu và sẽ bị mất: {what}. Vẫn đóng?</translation>
    </message>
    <message>
        <source>Cancel: {what}</source>
        <translation>Hủy: {what}</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Gửi ngay</translation>
    </message>
    <message>
        <source>Reset the layout</source>
        <translation>Bố trí lại như mặc định</translation>
    </message>
    <message>
        <source>Cancelled, not sent: {what}.</source>
        <translation>Đã hủy, không gửi: {what}.</translation>
    </message>
    <message>
        <source>“{what}” is being sent right now: if it goes through, the board shows it; if not, it is cancelled.</source>
        <translation>«{what}» đang được gửi: nếu gửi được, bảng sẽ hiện kết quả; nếu không, lệnh được hủy.</translation>
    </message>
</context>
<context>
    <name>MapCanvas</name>
    <message>
        <location filename="../../map/canvas.py" line="60"/>
        <source>N</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../../map/canvas.py" line="67"/>
        <source>Move the pointer over the map for coordinates</source>
        <translation>Di chuột trên bản đồ để xem toạ độ</translation>
    </message>
    <message>
        <location filename="../../map/canvas.py" line="70"/>
        <source>Measure distance</source>
        <translation>Đo khoảng cách</translation>
    </message>
    <message>
        <location filename="../../map/canvas.py" line="71"/>
        <source>Click two points on the map (key M; Esc ends)</source>
        <translation>Bấm hai điểm trên bản đồ (phím M; Esc để thôi)</translation>
    </message>
    <message>
        <location filename="../../map/canvas.py" line="300"/>
        <source>WGS 84: {lat}, {lon}  ·  VN-2000 TM-3 105°45′: E {e} m, N {n} m</source>
        <translation>WGS 84: {lat}, {lon}  ·  VN-2000 TM-3 105°45′: E {e} m, N {n} m</translation>
    </message>
    <message>
        <location filename="../../map/canvas.py" line="328"/>
        <source>{metres} m</source>
        <translation>{metres} m</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../labels.py" line="18"/>
        <source>Operator</source>
        <translation>Trực ban</translation>
    </message>
    <message>
        <location filename="../labels.py" line="19"/>
        <source>Supervisor</source>
        <translation>Chỉ huy trực</translation>
    </message>
    <message>
        <location filename="../labels.py" line="20"/>
        <source>Administrator</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <location filename="../labels.py" line="21"/>
        <source>Auditor</source>
        <translation>Thanh tra</translation>
    </message>
</context>
<context>
    <name>TrackPlayerDock</name>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>The track cannot be shown: {reason}</source>
        <translation>Không hiển thị được hành trình: {reason}</translation>
    </message>
    <message>
        <source>Reading the track…</source>
        <translation>Đang đọc hành trình…</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>Track playback</source>
        <translation>Phát lại hành trình</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>Unit:</source>
        <translation>Tổ:</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>From:</source>
        <translation>Từ:</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>To:</source>
        <translation>Đến:</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>Show track</source>
        <translation>Hiện hành trình</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>Choose a unit and a period.</source>
        <translation>Chọn tổ và khoảng thời gian.</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>Choose a unit first.</source>
        <translation>Hãy chọn tổ trước.</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>The start must be before the end.</source>
        <translation>Thời điểm bắt đầu phải trước thời điểm kết thúc.</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>{unit} sent no position in this period.</source>
        <translation>{unit} không gửi vị trí nào trong khoảng thời gian này.</translation>
    </message>
    <message>
        <location filename="../track_player.py" line="1"/>
        <source>{unit}: {count} positions</source>
        <translation>{unit}: {count} vị trí</translation>
    </message>
</context>
<context>
    <name>RoadsLayer</name>
    <message>
        <location filename="../../map/layers/roads.py" line="309"/>
        <source>Unnamed road</source>
        <translation>Đường không tên</translation>
    </message>
</context>
<context>
    <name>UnitsLayer</name>
    <message>
        <location filename="../../map/layers/units.py" line="1"/>
        <source>{speed:.0f} km/h</source>
        <translation>{speed:.0f} km/h</translation>
    </message>
    <message>
        <location filename="../../map/layers/units.py" line="1"/>
        <source>heading {deg:.0f}°</source>
        <translation>hướng {deg:.0f}°</translation>
    </message>
    <message>
        <location filename="../../map/layers/units.py" line="1"/>
        <source>±{m:.0f} m</source>
        <translation>±{m:.0f} m</translation>
    </message>
    <message>
        <location filename="../../map/layers/units.py" line="1"/>
        <source>battery {pct:.0f}%</source>
        <translation>pin {pct:.0f}%</translation>
    </message>
    <message>
        <location filename="../../map/layers/units.py" line="1"/>
        <source>no signal — last seen {hhmm}</source>
        <translation>mất tín hiệu — lần cuối {hhmm}</translation>
    </message>
    <message>
        <location filename="../../map/layers/units.py" line="1"/>
        <source>fix {s} s ago</source>
        <translation>vị trí {s} giây trước</translation>
    </message>
    <message>
        <location filename="../../map/layers/units.py" line="1"/>
        <source>fix {m} min ago</source>
        <translation>vị trí {m} phút trước</translation>
    </message>
</context>
<context>
    <name>LegendBox</name>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>Legend</source>
        <translation>Chú giải</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>Incidents (colour: type)</source>
        <translation>Vụ việc (màu: loại)</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>Priority (symbol)</source>
        <translation>Mức ưu tiên (ký hiệu)</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>1 — most urgent</source>
        <translation>1 — khẩn cấp nhất</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>2</source>
        <translation>2</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>3–4</source>
        <translation>3–4</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>Patrol units (symbol: force)</source>
        <translation>Lực lượng tuần tra (ký hiệu: lực lượng)</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>Unit status (colour)</source>
        <translation>Trạng thái tổ (màu)</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>No recent position (grey)</source>
        <translation>Mất tín hiệu vị trí (màu xám)</translation>
    </message>
    <message>
        <location filename="../legend.py" line="1"/>
        <source>Cameras (colour: owner)</source>
        <translation>Camera (màu: chủ sở hữu)</translation>
    </message>
    <message>
        <source>Drills (diễn tập): dashed violet ring</source>
        <translation>Diễn tập: vòng tròn tím nét đứt</translation>
    </message>
    <message>
        <source>Drill incident (not a real one)</source>
        <translation>Vụ việc diễn tập (không phải vụ thật)</translation>
    </message>
    <message>
        <source>Unit on a drill (label “· DT”): not sent to real incidents</source>
        <translation>Tổ diễn tập (nhãn “· DT”), không đi vụ thật</translation>
    </message>
</context>
<context>
    <name>Dispatch</name>
    <message>
        <source>Unit {unit} cannot be dispatched now. Choose another unit.</source>
        <translation>Không thể điều động tổ {unit} lúc này. Hãy chọn tổ khác.</translation>
    </message>
    <message>
        <source>Unit {unit} is no longer available: {who} set it to “{status}”{where}. Choose another unit.</source>
        <translation>Tổ {unit} không còn sẵn sàng: {who} đã chuyển sang «{status}»{where}. Hãy chọn tổ khác.</translation>
    </message>
    <message>
        <source> to incident #{n}</source>
        <translation> tới vụ #{n}</translation>
    </message>
    <message>
        <source>another console</source>
        <translation>bàn trực khác</translation>
    </message>
    <message>
        <source>Unit {unit}</source>
        <translation>Tổ {unit}</translation>
    </message>
    <message>
        <source>Incident {ident}</source>
        <translation>Vụ {ident}</translation>
    </message>
    <message>
        <source>{what} was just changed by {who} at another console. The board shows the new state; look again and repeat if still needed. Nothing was changed.</source>
        <translation>{what} vừa được {who} thay đổi ở bàn trực khác. Bảng đã hiện trạng thái mới; xem lại và làm lại nếu vẫn cần. Chưa có gì bị thay đổi.</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>người khác</translation>
    </message>
    <message>
        <source>{what} is “{current}”: it cannot go to “{target}”. Nothing was changed.</source>
        <translation>{what} đang «{current}»: không thể chuyển sang «{target}». Chưa có gì bị thay đổi.</translation>
    </message>
    <message>
        <source>Your role may not do this. Ask the duty commander.</source>
        <translation>Vai trò của bạn không được làm việc này. Hãy hỏi chỉ huy trực.</translation>
    </message>
    <message>
        <source>Not found (deleted or not yet arrived at this console): {detail}</source>
        <translation>Không tìm thấy (đã xoá hoặc chưa về đến bàn trực này): {detail}</translation>
    </message>
    <message>
        <source>Refused: {detail}</source>
        <translation>Bị từ chối: {detail}</translation>
    </message>
    <message>
        <source>Could not reach the database: the order was not recorded. Try again ({detail}).</source>
        <translation>Không kết nối được cơ sở dữ liệu: lệnh chưa được ghi. Hãy thử lại ({detail}).</translation>
    </message>
    <message>
        <source>Dispatch to an incident…</source>
        <translation>Điều động đến vụ việc…</translation>
    </message>
    <message>
        <source>En route</source>
        <translation>Đang di chuyển</translation>
    </message>
    <message>
        <source>On scene</source>
        <translation>Có mặt hiện trường</translation>
    </message>
    <message>
        <source>Available (cleared / back in service)</source>
        <translation>Sẵn sàng (xong việc / trở lại làm nhiệm vụ)</translation>
    </message>
    <message>
        <source>Out of service…</source>
        <translation>Tạm ngừng…</translation>
    </message>
    <message>
        <source>Back to real duty (off the drill)</source>
        <translation>Thôi diễn tập, trở lại nhiệm vụ thật</translation>
    </message>
    <message>
        <source>Put on a drill (diễn tập)</source>
        <translation>Đưa vào diễn tập</translation>
    </message>
    <message>
        <source>{unit} is on a drill (diễn tập) and #{n} is a real incident: send a real unit, or have the duty commander take {unit} off the drill first. Nothing was changed.</source>
        <translation>{unit} đang diễn tập, vụ #{n} là vụ thật: điều tổ thật khác, hoặc đề nghị chỉ huy trực cho {unit} thôi diễn tập trước. Chưa có gì bị thay đổi.</translation>
    </message>
    <message>
        <source>#{n} is a drill (diễn tập) and {unit} is on real duty: a drill does not take a real unit off real work. The duty commander puts {unit} on the drill first. Nothing was changed.</source>
        <translation>Vụ #{n} là diễn tập, {unit} đang làm nhiệm vụ thật: diễn tập không rút tổ thật khỏi công việc thật. Chỉ huy trực đưa {unit} vào diễn tập trước. Chưa có gì bị thay đổi.</translation>
    </message>
</context>
<context>
    <name>UnitBoard</name>
    <message>
        <source>Unit</source>
        <translation>Tổ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Vụ việc</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>↑↓ choose · D dispatch · E en route · S on scene · A available · O out of service · menu key: all</source>
        <translation>↑↓ chọn tổ · D điều động · E đang di chuyển · S có mặt · A sẵn sàng · O tạm ngừng · phím menu: tất cả</translation>
    </message>
    <message>
        <source>Overdue: {units}</source>
        <translation>Quá giờ: {units}</translation>
    </message>
    <message>
        <source>{unit} {status} for {minutes} min</source>
        <translation>{unit} {status} — {minutes} phút</translation>
    </message>
    <message>
        <source>There is no open incident to send {unit} to.</source>
        <translation>Không có vụ việc đang mở nào để điều động {unit}.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Đang gửi…</translation>
    </message>
    <message>
        <source>Out of service needs a reason; nothing was changed.</source>
        <translation>Tạm ngừng cần có lý do; chưa có gì bị thay đổi.</translation>
    </message>
    <message>
        <source>Done: {unit}.</source>
        <translation>Đã thực hiện: {unit}.</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Tạm ngừng</translation>
    </message>
    <message>
        <source>Why is {unit} out of service?</source>
        <translation>Vì sao tổ {unit} tạm ngừng?</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>Điều động</translation>
    </message>
    <message>
        <source>Send {unit} to:</source>
        <translation>Điều động {unit} đến:</translation>
    </message>
    <message>
        <source>Overdue limits…</source>
        <translation>Giới hạn quá giờ…</translation>
    </message>
    <message>
        <source>Overdue limits</source>
        <translation>Giới hạn quá giờ</translation>
    </message>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>no alert</source>
        <translation>không báo</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>chờ gửi</translation>
    </message>
    <message>
        <source>Waiting for the database: {what}</source>
        <translation>Chờ cơ sở dữ liệu: {what}</translation>
    </message>
    <message>
        <source>Cancelled, not sent: {what}.</source>
        <translation>Đã hủy, không gửi: {what}.</translation>
    </message>
    <message>
        <source>“{what}” is being sent right now: if it goes through, the board shows it; if not, it is cancelled.</source>
        <translation>«{what}» đang được gửi: nếu gửi được, bảng sẽ hiện kết quả; nếu không, lệnh được hủy.</translation>
    </message>
    <message>
        <source>{unit} already has an order waiting for the database ({what}). Cancel it first (menu key on the row) to give another.</source>
        <translation>Tổ {unit} đã có lệnh đang chờ gửi ({what}). Hủy lệnh đó trước (phím menu trên dòng) rồi mới ra lệnh khác.</translation>
    </message>
    <message>
        <source>Database unreachable: “{what}” waits on this console and is sent when it returns.</source>
        <translation>Mất kết nối cơ sở dữ liệu: lệnh «{what}» được giữ ở bàn này và sẽ tự gửi khi kết nối trở lại.</translation>
    </message>
    <message>
        <source>Not sent after {limit}: then give it by radio.</source>
        <translation>Quá {limit} chưa gửi được thì lệnh bị bỏ: khi đó hãy ra lệnh qua bộ đàm.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> giây</translation>
    </message>
    <message>
        <source>never</source>
        <translation>không bỏ</translation>
    </message>
    <message>
        <source>A dispatch or status order that cannot reach the database within this time is dropped (the officer is told to give it by radio): an order applied late is wrong.</source>
        <translation>Lệnh điều động hoặc đổi trạng thái không gửi được tới cơ sở dữ liệu trong khoảng này sẽ bị bỏ (trực ban được báo để ra lệnh qua bộ đàm): lệnh thực hiện muộn là lệnh sai.</translation>
    </message>
    <message>
        <source>Drop unsent orders after</source>
        <translation>Bỏ lệnh chưa gửi được sau</translation>
    </message>
    <message>
        <source>on a drill (diễn tập): sent only to drills, its time left out of statistics</source>
        <translation>đang diễn tập: chỉ điều động đi vụ diễn tập, thời gian không tính vào thống kê</translation>
    </message>
    <message>
        <source>{unit} is on a drill and there is no open drill to send it to.</source>
        <translation>{unit} đang diễn tập và không có vụ diễn tập nào đang mở để điều động.</translation>
    </message>
    <message>
        <source>incident #{n} cleared</source>
        <translation>vụ #{n} đã xử lý xong</translation>
    </message>
    <message>
        <source>incident #{n} cancelled</source>
        <translation>vụ #{n} đã hủy</translation>
    </message>
</context>
<context>
    <name>DispatchRecommendations</name>
    <message>
        <source>Select an incident to see the nearest units.</source>
        <translation>Chọn một vụ việc để xem các tổ gần nhất.</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Tổ</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>Phút</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>Cách ước tính</translation>
    </message>
    <message>
        <source>Dispatch the chosen unit (Enter)</source>
        <translation>Điều động tổ đã chọn (Enter)</translation>
    </message>
    <message>
        <source>no position</source>
        <translation>chưa có vị trí</translation>
    </message>
    <message>
        <source>by road, {km:.1f} km</source>
        <translation>theo đường, {km:.1f} km</translation>
    </message>
    <message>
        <source>straight line ×{f}</source>
        <translation>đường thẳng ×{f}</translation>
    </message>
    <message>
        <source>position stale — {how}</source>
        <translation>vị trí cũ — {how}</translation>
    </message>
    <message>
        <source>Nearest available units for #{n} {type}</source>
        <translation>Tổ sẵn sàng gần nhất cho vụ #{n} {type}</translation>
    </message>
    <message>
        <source>{title} — computing times by road…</source>
        <translation>{title} — đang tính thời gian theo đường phố…</translation>
    </message>
    <message>
        <source>#{n} is a drill (diễn tập) and no unit on the drill is free: a supervisor puts units on the drill first (real units are not sent to drills)</source>
        <translation>Vụ #{n} là diễn tập và không có tổ diễn tập nào sẵn sàng: chỉ huy trực đưa tổ vào diễn tập trước (không điều tổ thật đi diễn tập)</translation>
    </message>
    <message>
        <source>DRILL #{n} {type}: nearest units on the drill</source>
        <translation>DIỄN TẬP #{n} {type}: tổ diễn tập gần nhất</translation>
    </message>
    <message>
        <source>({count} on a drill not listed)</source>
        <translation>(không liệt kê {count} tổ đang diễn tập)</translation>
    </message>
</context>
<context>
    <name>EventLogDock</name>
    <message>
        <source>Event log</source>
        <translation>Nhật ký sự kiện</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>Mọi người thực hiện</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Mọi loại sự kiện</translation>
    </message>
    <message>
        <source>All wards</source>
        <translation>Mọi phường</translation>
    </message>
    <message>
        <source>Incident no.</source>
        <translation>Số vụ việc</translation>
    </message>
    <message>
        <source>Audit chain: not checked yet</source>
        <translation>Chuỗi kiểm toán: chưa kiểm tra</translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation>Kiểm tra chuỗi</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>{shown} of {total} events</source>
        <translation>{shown}/{total} sự kiện</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>STT</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Vụ việc</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Export the event log</source>
        <translation>Xuất nhật ký sự kiện</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <source>The file could not be written: {reason}</source>
        <translation>Không ghi được tệp: {reason}</translation>
    </message>
    <message>
        <source>{count} events exported</source>
        <translation>Đã xuất {count} sự kiện</translation>
    </message>
    <message>
        <source>Audit chain: checking…</source>
        <translation>Chuỗi kiểm toán: đang kiểm tra…</translation>
    </message>
    <message>
        <source>Audit chain: could not be checked</source>
        <translation>Chuỗi kiểm toán: không kiểm tra được</translation>
    </message>
    <message>
        <source>Audit chain: verified up to event {seq}</source>
        <translation>Chuỗi kiểm toán: toàn vẹn đến sự kiện {seq}</translation>
    </message>
    <message>
        <source>{count} events checked in {seconds} s at {time}</source>
        <translation>Đã kiểm tra {count} sự kiện trong {seconds} giây, lúc {time}</translation>
    </message>
    <message>
        <source>Audit chain: BROKEN at event {seq}</source>
        <translation>Chuỗi kiểm toán: BỊ PHÁ VỠ tại sự kiện {seq}</translation>
    </message>
    <message>
        <source>Search the whole log</source>
        <translation>Tìm trong toàn bộ nhật ký</translation>
    </message>
    <message>
        <source>The console keeps the latest {count} events; this reads the chosen period from the database</source>
        <translation>Máy trạm chỉ giữ {count} sự kiện mới nhất; nút này đọc khoảng thời gian đã chọn từ cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Back to live</source>
        <translation>Về nhật ký trực tiếp</translation>
    </message>
    <message>
        <source>Reading the log…</source>
        <translation>Đang đọc nhật ký…</translation>
    </message>
    <message>
        <source>The log could not be read: {reason}</source>
        <translation>Không đọc được nhật ký: {reason}</translation>
    </message>
    <message>
        <source>only the first {count}: choose a shorter period</source>
        <translation>chỉ {count} sự kiện đầu: hãy chọn khoảng ngắn hơn</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>Tạo người dùng</translation>
    </message>
    <message>
        <source>User role changed</source>
        <translation>Đổi vai trò người dùng</translation>
    </message>
    <message>
        <source>Password set</source>
        <translation>Đặt mật khẩu</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Login failed</source>
        <translation>Đăng nhập thất bại</translation>
    </message>
    <message>
        <source>User locked out</source>
        <translation>Khóa tài khoản</translation>
    </message>
    <message>
        <source>Ward added</source>
        <translation>Thêm phường</translation>
    </message>
    <message>
        <source>Unit added</source>
        <translation>Thêm tổ</translation>
    </message>
    <message>
        <source>Unit dispatched</source>
        <translation>Điều động tổ</translation>
    </message>
    <message>
        <source>Unit en route</source>
        <translation>Tổ đang đến</translation>
    </message>
    <message>
        <source>Unit on scene</source>
        <translation>Tổ có mặt</translation>
    </message>
    <message>
        <source>Unit available</source>
        <translation>Tổ sẵn sàng</translation>
    </message>
    <message>
        <source>Unit out of service</source>
        <translation>Tổ ngừng hoạt động</translation>
    </message>
    <message>
        <source>Unit off duty</source>
        <translation>Tổ hết ca</translation>
    </message>
    <message>
        <source>Incident received</source>
        <translation>Tiếp nhận vụ việc</translation>
    </message>
    <message>
        <source>Incident status changed</source>
        <translation>Đổi trạng thái vụ việc</translation>
    </message>
    <message>
        <source>Unit assigned to incident</source>
        <translation>Giao tổ cho vụ việc</translation>
    </message>
    <message>
        <source>Unit released from incident</source>
        <translation>Tổ rời vụ việc</translation>
    </message>
    <message>
        <source>Incident note</source>
        <translation>Ghi chú vụ việc</translation>
    </message>
    <message>
        <source>Report linked to incident</source>
        <translation>Gộp tin báo vào vụ việc</translation>
    </message>
    <message>
        <source>Camera added</source>
        <translation>Thêm camera</translation>
    </message>
    <message>
        <source>Camera edited</source>
        <translation>Sửa thông tin camera</translation>
    </message>
    <message>
        <source>Camera retired</source>
        <translation>Ngừng sử dụng camera</translation>
    </message>
    <message>
        <source>Camera view started</source>
        <translation>Bắt đầu xem camera</translation>
    </message>
    <message>
        <source>Camera view stopped</source>
        <translation>Kết thúc xem camera</translation>
    </message>
    <message>
        <source>Ward boundaries imported</source>
        <translation>Nhập ranh giới phường</translation>
    </message>
    <message>
        <source>Road network imported</source>
        <translation>Nhập mạng lưới đường</translation>
    </message>
    <message>
        <source>Complex point added</source>
        <translation>Thêm điểm phức tạp</translation>
    </message>
    <message>
        <source>Complex point status changed</source>
        <translation>Đổi trạng thái điểm phức tạp</translation>
    </message>
    <message>
        <source>Device registered</source>
        <translation>Đăng ký thiết bị</translation>
    </message>
    <message>
        <source>Device retired</source>
        <translation>Thu hồi thiết bị</translation>
    </message>
    <message>
        <source>Track viewed</source>
        <translation>Xem lộ trình</translation>
    </message>
    <message>
        <source>Unit on or off a drill</source>
        <translation>Tổ vào/ra diễn tập</translation>
    </message>
    <message>
        <source>Places imported</source>
        <translation>Nhập địa điểm</translation>
    </message>
</context>
<context>
    <name>IncidentIntake</name>
    <message>
        <source>New incident</source>
        <translation>Tiếp nhận tin báo mới</translation>
    </message>
    <message>
        <source>Street, ward or place (no accents needed)</source>
        <translation>Tên đường, phường hoặc địa điểm (gõ không dấu cũng được)</translation>
    </message>
    <message>
        <source>WGS 84 (lat, lon)</source>
        <translation>WGS 84 (vĩ độ, kinh độ)</translation>
    </message>
    <message>
        <source>VN-2000 TM-3 105°45′ (E, N)</source>
        <translation>VN-2000 TM-3 105°45′ (E, N)</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>Đặt</translation>
    </message>
    <message>
        <source>No location yet: click the map, search, or type coordinates.</source>
        <translation>Chưa có vị trí: bấm lên bản đồ, tìm địa danh hoặc nhập toạ độ.</translation>
    </message>
    <message>
        <source>Outside every ward: say why it is taken here</source>
        <translation>Ngoài địa bàn các phường: ghi lý do vẫn tiếp nhận</translation>
    </message>
    <message>
        <source>Exercise (drill) — not a real incident</source>
        <translation>Diễn tập — không phải vụ việc thật</translation>
    </message>
    <message>
        <source>Possible duplicate</source>
        <translation>Có thể trùng vụ việc đã có</translation>
    </message>
    <message>
        <source>&amp;Link to the selected incident instead</source>
        <translation>&amp;Gộp vào vụ việc đã chọn (không tạo vụ mới)</translation>
    </message>
    <message>
        <source>&amp;Type</source>
        <translation>&amp;Loại vụ việc</translation>
    </message>
    <message>
        <source>&amp;Priority</source>
        <translation>&amp;Mức ưu tiên</translation>
    </message>
    <message>
        <source>S&amp;ource</source>
        <translation>&amp;Nguồn tin</translation>
    </message>
    <message>
        <source>&amp;Find a place</source>
        <translation>&amp;Tìm địa danh</translation>
    </message>
    <message>
        <source>Coor&amp;dinates</source>
        <translation>&amp;Toạ độ</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>Đị&amp;a chỉ</translation>
    </message>
    <message>
        <source>&amp;Caller</source>
        <translation>Người &amp;báo</translation>
    </message>
    <message>
        <source>Call&amp;back number</source>
        <translation>Số điện thoại &amp;gọi lại</translation>
    </message>
    <message>
        <source>&amp;Narrative</source>
        <translation>Nội &amp;dung</translation>
    </message>
    <message>
        <source>&amp;Record incident</source>
        <translation>&amp;Ghi nhận vụ việc</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <source>map</source>
        <translation>bản đồ</translation>
    </message>
    <message>
        <source>coordinates</source>
        <translation>toạ độ</translation>
    </message>
    <message>
        <source>1 — urgent</source>
        <translation>1 — khẩn cấp</translation>
    </message>
    <message>
        <source>2 — high</source>
        <translation>2 — cao</translation>
    </message>
    <message>
        <source>3 — normal</source>
        <translation>3 — bình thường</translation>
    </message>
    <message>
        <source>4 — low</source>
        <translation>4 — thấp</translation>
    </message>
    <message>
        <source>Outside every ward of the boundary edition in force</source>
        <translation>Ngoài tất cả các phường của bộ địa giới đang có hiệu lực</translation>
    </message>
    <message>
        <source>latitude, e.g. 10.8387</source>
        <translation>vĩ độ, vd. 10.8387</translation>
    </message>
    <message>
        <source>longitude, e.g. 106.6797</source>
        <translation>kinh độ, vd. 106.6797</translation>
    </message>
    <message>
        <source>E (m), e.g. 601234.5</source>
        <translation>E (m), vd. 601234.5</translation>
    </message>
    <message>
        <source>N (m), e.g. 1198700.0</source>
        <translation>N (m), vd. 1198700.0</translation>
    </message>
    <message>
        <source>These coordinates are not in Vietnam: check the order and the coordinate system.</source>
        <translation>Toạ độ này không nằm ở Việt Nam: kiểm tra thứ tự và hệ toạ độ.</translation>
    </message>
    <message>
        <source>Nothing found by that name</source>
        <translation>Không tìm thấy địa danh nào như vậy</translation>
    </message>
    <message>
        <source>Give the location: click the map, search a street, or type coordinates.</source>
        <translation>Cần vị trí: bấm lên bản đồ, tìm tên đường hoặc nhập toạ độ.</translation>
    </message>
    <message>
        <source>Coordinates must be two numbers.</source>
        <translation>Toạ độ phải là hai con số.</translation>
    </message>
    <message>
        <source>street</source>
        <translation>đường</translation>
    </message>
    <message>
        <source>ward</source>
        <translation>phường</translation>
    </message>
    <message>
        <source>complex point</source>
        <translation>điểm phức tạp</translation>
    </message>
    <message>
        <source>place</source>
        <translation>địa điểm</translation>
    </message>
    <message>
        <source>The location is outside every ward: say why it is taken.</source>
        <translation>Vị trí nằm ngoài các phường: ghi lý do vẫn tiếp nhận.</translation>
    </message>
    <message>
        <source>#{number} {type} — {metres} m away, {minutes} min ago, {status}</source>
        <translation>#{number} {type} — cách {metres} m, {minutes} phút trước, {status}</translation>
    </message>
    <message>
        <source>[Outside every ward: {reason}]</source>
        <translation>[Ngoài địa bàn các phường: {reason}]</translation>
    </message>
    <message>
        <source>The callback number is not a telephone number (digits, spaces, +, -, brackets).</source>
        <translation>Số gọi lại không phải số điện thoại (chữ số, dấu cách, +, -, ngoặc).</translation>
    </message>
    <message>
        <source>just now — or hh:mm, or minutes ago (e.g. 40), or dd/mm hh:mm</source>
        <translation>vừa xảy ra — hoặc gg:pp, hoặc số phút trước (vd 40), hoặc nn/tt gg:pp</translation>
    </message>
    <message>
        <source>{time}, {minutes} min ago</source>
        <translation>{time}, {minutes} phút trước</translation>
    </message>
    <message>
        <source>&amp;Happened</source>
        <translation>&amp;Xảy ra lúc</translation>
    </message>
    <message>
        <source>When it happened: {reason}</source>
        <translation>Thời điểm xảy ra: {reason}</translation>
    </message>
    <message>
        <source>not understood: type e.g. 40, 21:40 or 27/11 21:40</source>
        <translation>không hiểu: gõ ví dụ 40, 21:40 hoặc 27/11 21:40</translation>
    </message>
    <message>
        <source>not a valid day or time</source>
        <translation>ngày giờ không hợp lệ</translation>
    </message>
    <message>
        <source>that is still to come</source>
        <translation>thời điểm này chưa tới</translation>
    </message>
    <message>
        <source>more than {days} days ago</source>
        <translation>quá {days} ngày trước</translation>
    </message>
</context>
<context>
    <name>IncidentQueueModel</name>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Exercise (drill): not a real incident; left out of statistics</source>
        <translation>Diễn tập: không phải vụ việc thật; không tính vào thống kê</translation>
    </message>
    <message>
        <source>DRILL</source>
        <translation>DIỄN TẬP</translation>
    </message>
    <message>
        <source>Pri.</source>
        <translation>ƯT</translation>
    </message>
    <message>
        <source>Priority (1 most urgent)</source>
        <translation>Mức ưu tiên (1 khẩn cấp nhất)</translation>
    </message>
    <message>
        <source>Time since the report was recorded</source>
        <translation>Thời gian từ lúc tiếp nhận tin báo</translation>
    </message>
</context>
<context>
    <name>IncidentsDock</name>
    <message>
        <source>Incidents</source>
        <translation>Vụ việc</translation>
    </message>
    <message>
        <source>&amp;New incident (Ctrl+N)</source>
        <translation>Tiếp nhận &amp;mới (Ctrl+N)</translation>
    </message>
    <message>
        <source>Select an incident in the queue or on the map.</source>
        <translation>Chọn một vụ việc trong danh sách hoặc trên bản đồ.</translation>
    </message>
    <message>
        <source>Add a note (Enter); notes cannot be changed</source>
        <translation>Thêm ghi chú (Enter); ghi chú không sửa được</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Tổ tuần tra</translation>
    </message>
    <message>
        <source>History and notes</source>
        <translation>Diễn biến và ghi chú</translation>
    </message>
    <message>
        <source>Incident closed or not found.</source>
        <translation>Vụ việc đã đóng hoặc không tìm thấy.</translation>
    </message>
    <message>
        <source>EXERCISE (DRILL)</source>
        <translation>DIỄN TẬP</translation>
    </message>
    <message>
        <source>Caller: recorded (not shown to your role)</source>
        <translation>Người báo: đã ghi (không hiển thị với vai trò của bạn)</translation>
    </message>
    <message>
        <source>priority {p}</source>
        <translation>ưu tiên {p}</translation>
    </message>
    <message>
        <source>{n} further report(s) linked</source>
        <translation>{n} tin báo trùng đã gộp</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>tiếp nhận</translation>
    </message>
    <message>
        <source> · now {status}</source>
        <translation> · hiện: {status}</translation>
    </message>
    <message>
        <source>Caller: {name} · callback {number}</source>
        <translation>Người báo: {name} · gọi lại {number}</translation>
    </message>
    <message>
        <source>sent {t}</source>
        <translation>điều động {t}</translation>
    </message>
    <message>
        <source>unit {unit} sent</source>
        <translation>điều động tổ {unit}</translation>
    </message>
    <message>
        <source>unit {unit} released</source>
        <translation>tổ {unit} rời vụ việc</translation>
    </message>
    <message>
        <source>note: {text}</source>
        <translation>ghi chú: {text}</translation>
    </message>
    <message>
        <source>further report ({source}): {text}</source>
        <translation>tin báo trùng ({source}): {text}</translation>
    </message>
    <message>
        <source>released {t}</source>
        <translation>rời {t}</translation>
    </message>
    <message>
        <source>status → {status}</source>
        <translation>trạng thái → {status}</translation>
    </message>
    <message>
        <source>en route {t}</source>
        <translation>đang đến {t}</translation>
    </message>
    <message>
        <source>on scene {t}</source>
        <translation>có mặt {t}</translation>
    </message>
</context>
<context>
    <name>CameraWallDock</name>
    <message>
        <source>Camera wall</source>
        <translation>Màn hình camera</translation>
    </message>
    <message>
        <source>Loading cameras…</source>
        <translation>Đang tải camera…</translation>
    </message>
    <message>
        <source>Own screen</source>
        <translation>Màn hình riêng</translation>
    </message>
    <message>
        <source>Take the wall out of the console onto a screen of its own (the second monitor when there is one); again to put it back</source>
        <translation>Tách màn hình camera ra màn hình riêng (màn hình thứ hai nếu có); bấm lại để gắn vào</translation>
    </message>
</context>
<context>
    <name>CameraWall</name>
    <message>
        <source>Layout {name} (key {key})</source>
        <translation>Bố cục {name} (phím {key})</translation>
    </message>
    <message>
        <source>Nearest cameras</source>
        <translation>Camera gần nhất</translation>
    </message>
    <message>
        <source>Fill a 2×2 with the four cameras best placed to see the selected incident (key N)</source>
        <translation>Đưa 4 camera nhìn rõ nhất vụ đang chọn lên lưới 2×2 (phím N)</translation>
    </message>
    <message>
        <source>Fill a 2×2 with the four cameras best placed to see incident #{n} (key N)</source>
        <translation>Đưa 4 camera nhìn rõ nhất vụ #{n} lên lưới 2×2 (phím N)</translation>
    </message>
    <message>
        <source>Saved walls: choose one to show it</source>
        <translation>Màn hình đã lưu: chọn để hiển thị</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Lưu…</translation>
    </message>
    <message>
        <source>Save this wall under a name</source>
        <translation>Lưu màn hình này với một tên</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xoá</translation>
    </message>
    <message>
        <source>Delete the saved wall chosen in the list</source>
        <translation>Xoá màn hình đã lưu đang chọn trong danh sách</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Đóng thông báo</translation>
    </message>
    <message>
        <source>Saved walls…</source>
        <translation>Màn hình đã lưu…</translation>
    </message>
    <message>
        <source>No camera sees or is within 300 m of incident #{n}.</source>
        <translation>Không có camera nào nhìn thấy hoặc trong bán kính 300 m quanh vụ #{n}.</translation>
    </message>
    <message>
        <source>Cameras nearest incident #{n} (priority {p})</source>
        <translation>Camera gần vụ #{n} (ưu tiên {p})</translation>
    </message>
    <message>
        <source>Back to the previous wall</source>
        <translation>Quay lại màn hình trước</translation>
    </message>
    <message>
        <source>Priority-1 incident #{n}: the wall is in use and was not changed.</source>
        <translation>Vụ #{n} ưu tiên 1: màn hình camera đang được sử dụng nên chưa thay đổi.</translation>
    </message>
    <message>
        <source>Show its cameras</source>
        <translation>Xem camera của vụ</translation>
    </message>
    <message>
        <source>Save the wall</source>
        <translation>Lưu màn hình camera</translation>
    </message>
    <message>
        <source>Name of this wall:</source>
        <translation>Tên màn hình:</translation>
    </message>
    <message>
        <source>Delete the wall</source>
        <translation>Xoá màn hình camera</translation>
    </message>
    <message>
        <source>Delete the saved wall “{name}”?</source>
        <translation>Xoá màn hình đã lưu “{name}”?</translation>
    </message>
    <message>
        <source>Decode budget</source>
        <translation>Giới hạn giải mã</translation>
    </message>
    <message>
        <source>How many sub-streams (640×360, 25 fps) this workstation may decode at once (a main stream counts as 9):</source>
        <translation>Số luồng phụ (640×360, 25 hình/giây) máy này được giải mã cùng lúc (một luồng chính tính bằng 9):</translation>
    </message>
    <message>
        <source>Budget: {n} streams</source>
        <translation>Giới hạn: {n} luồng</translation>
    </message>
    <message>
        <source>Decode budget of this workstation: {n} sub-streams at 360p25 (a main stream counts as 9). Over it, tiles fall back to the sub-stream, then to a snapshot every {s} s, then pause — each tile says so.</source>
        <translation>Giới hạn giải mã của máy này: {n} luồng phụ 360p25 (một luồng chính tính bằng 9). Vượt giới hạn, ô hình chuyển sang luồng phụ, rồi ảnh chụp mỗi {s} giây, rồi tạm dừng — ô nào cũng ghi rõ.</translation>
    </message>
    <message>
        <source>Camera list</source>
        <translation>Danh sách camera</translation>
    </message>
    <message>
        <source>Show or hide the camera list (cameras also drag from the map)</source>
        <translation>Hiện hoặc ẩn danh sách camera (cũng có thể kéo camera từ bản đồ)</translation>
    </message>
    <message>
        <source>A wall named “{name}” is already saved. Replace it?</source>
        <translation>Đã có màn hình tên “{name}”. Thay thế?</translation>
    </message>
</context>
<context>
    <name>CameraTile</name>
    <message>
        <source>Drag a camera here
(from the list or the map)</source>
        <translation>Kéo camera vào đây
(từ danh sách hoặc bản đồ)</translation>
    </message>
    <message>
        <source>wrong user name or password</source>
        <translation>sai tên đăng nhập hoặc mật khẩu</translation>
    </message>
    <message>
        <source>camera unreachable (network or power)</source>
        <translation>không kết nối được camera (mạng hoặc nguồn điện)</translation>
    </message>
    <message>
        <source>stream not found on the camera</source>
        <translation>không tìm thấy luồng trên camera</translation>
    </message>
    <message>
        <source>video format not supported</source>
        <translation>định dạng video không hỗ trợ</translation>
    </message>
    <message>
        <source>camera address is not valid</source>
        <translation>địa chỉ camera không hợp lệ</translation>
    </message>
    <message>
        <source>stream relay stopped</source>
        <translation>bộ chuyển tiếp luồng đã dừng</translation>
    </message>
    <message>
        <source>no picture from the camera</source>
        <translation>camera không có hình</translation>
    </message>
    <message>
        <source>the camera ended the stream</source>
        <translation>camera đã ngắt luồng</translation>
    </message>
    <message>
        <source>video engine not installed (libVLC)</source>
        <translation>chưa cài bộ giải mã video (libVLC)</translation>
    </message>
    <message>
        <source>attempt {n}, next try in {s} s</source>
        <translation>lần {n}, thử lại sau {s} giây</translation>
    </message>
    <message>
        <source>attempt {n}, trying now</source>
        <translation>lần {n}, đang thử lại</translation>
    </message>
    <message>
        <source>no answer in {s} s</source>
        <translation>không phản hồi sau {s} giây</translation>
    </message>
    <message>
        <source>sub-stream (decode budget)</source>
        <translation>luồng phụ (giới hạn giải mã)</translation>
    </message>
    <message>
        <source>snapshot every {s} s (decode budget)</source>
        <translation>ảnh chụp mỗi {s} giây (giới hạn giải mã)</translation>
    </message>
    <message>
        <source>Paused: decode budget</source>
        <translation>Tạm dừng: giới hạn giải mã</translation>
    </message>
    <message>
        <source>Paused: decode budget
(too many streams for this workstation)</source>
        <translation>Tạm dừng: giới hạn giải mã
(quá nhiều luồng cho máy này)</translation>
    </message>
    <message>
        <source>main stream</source>
        <translation>luồng chính</translation>
    </message>
    <message>
        <source>sub-stream</source>
        <translation>luồng phụ</translation>
    </message>
    <message>
        <source>Snapshot at {t}</source>
        <translation>Ảnh chụp lúc {t}</translation>
    </message>
    <message>
        <source>Taking a snapshot…</source>
        <translation>Đang chụp ảnh…</translation>
    </message>
    <message>
        <source>LIVE</source>
        <translation>TRỰC TIẾP</translation>
    </message>
    <message>
        <source>FROZEN
last frame at {t}</source>
        <translation>HÌNH ĐỨNG
khung hình cuối lúc {t}</translation>
    </message>
    <message>
        <source>reconnecting: {retry}</source>
        <translation>đang kết nối lại: {retry}</translation>
    </message>
    <message>
        <source>FROZEN — last frame at {t}</source>
        <translation>HÌNH ĐỨNG — khung cuối lúc {t}</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Đang kết nối lại</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Đang kết nối lại…</translation>
    </message>
    <message>
        <source>no picture</source>
        <translation>không có hình</translation>
    </message>
    <message>
        <source>No picture
{why}</source>
        <translation>Không có hình
{why}</translation>
    </message>
    <message>
        <source>FAILED: {why}</source>
        <translation>LỖI: {why}</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <source>last frame at {t}</source>
        <translation>khung hình cuối lúc {t}</translation>
    </message>
</context>
<context>
    <name>CameraList</name>
    <message>
        <source>Find a camera: name, code, ward…</source>
        <translation>Tìm camera: tên, mã, phường…</translation>
    </message>
    <message>
        <source>All owners</source>
        <translation>Tất cả chủ sở hữu</translation>
    </message>
</context>
<context>
    <name>PlaceKinds</name>
    <message>
        <source>market</source>
        <translation>chợ</translation>
    </message>
    <message>
        <source>school</source>
        <translation>trường học</translation>
    </message>
    <message>
        <source>kindergarten</source>
        <translation>trường mầm non</translation>
    </message>
    <message>
        <source>university</source>
        <translation>trường đại học</translation>
    </message>
    <message>
        <source>college</source>
        <translation>trường cao đẳng</translation>
    </message>
    <message>
        <source>hospital</source>
        <translation>bệnh viện</translation>
    </message>
    <message>
        <source>clinic</source>
        <translation>phòng khám</translation>
    </message>
    <message>
        <source>pharmacy</source>
        <translation>nhà thuốc</translation>
    </message>
    <message>
        <source>police station</source>
        <translation>trụ sở công an</translation>
    </message>
    <message>
        <source>place of worship</source>
        <translation>cơ sở tôn giáo</translation>
    </message>
    <message>
        <source>fuel station</source>
        <translation>cây xăng</translation>
    </message>
    <message>
        <source>bank</source>
        <translation>ngân hàng</translation>
    </message>
    <message>
        <source>ATM</source>
        <translation>ATM</translation>
    </message>
    <message>
        <source>post office</source>
        <translation>bưu điện</translation>
    </message>
    <message>
        <source>café</source>
        <translation>quán cà phê</translation>
    </message>
    <message>
        <source>restaurant</source>
        <translation>nhà hàng</translation>
    </message>
    <message>
        <source>hotel</source>
        <translation>khách sạn</translation>
    </message>
    <message>
        <source>supermarket</source>
        <translation>siêu thị</translation>
    </message>
    <message>
        <source>convenience store</source>
        <translation>cửa hàng tiện lợi</translation>
    </message>
    <message>
        <source>shopping centre</source>
        <translation>trung tâm thương mại</translation>
    </message>
    <message>
        <source>park</source>
        <translation>công viên</translation>
    </message>
    <message>
        <source>bus station</source>
        <translation>bến xe buýt</translation>
    </message>
    <message>
        <source>ward office</source>
        <translation>UBND phường</translation>
    </message>
    <message>
        <source>place</source>
        <translation>địa điểm</translation>
    </message>
    <message>
        <source>dormitory</source>
        <translation>ký túc xá</translation>
    </message>
</context>
<context>
    <name>ConsoleCommands</name>
    <message>
        <source>Not sent: while it waited, {who} at console {console} set {what} to “{status}” at {time}. Look at the board and give the order again if it is still needed.</source>
        <translation>Không gửi: trong lúc lệnh chờ, {who} ở bàn {console} đã chuyển {what} sang «{status}» lúc {time}. Xem lại bảng và ra lệnh lại nếu vẫn cần.</translation>
    </message>
    <message>
        <source>Not sent: your own earlier order at this console set {what} to “{status}” at {time}, after you gave this one. The board shows the new state; give the order again if it is still needed.</source>
        <translation>Không gửi: lệnh trước của chính bạn ở bàn trực này đã chuyển {what} sang «{status}» lúc {time}, sau khi bạn ra lệnh này. Bảng đã hiện trạng thái mới; ra lệnh lại nếu vẫn cần.</translation>
    </message>
    <message>
        <source>Not sent: {who} at console {console} set {what} to “{status}” at {time}, just before this order reached the database. The board shows the new state; give the order again if it is still needed.</source>
        <translation>Không gửi: {who} ở bàn {console} đã chuyển {what} sang «{status}» lúc {time}, ngay trước khi lệnh này tới cơ sở dữ liệu. Bảng đã hiện trạng thái mới; ra lệnh lại nếu vẫn cần.</translation>
    </message>
    <message>
        <source>dispatch {unit} → {incident}</source>
        <translation>điều động {unit} → {incident}</translation>
    </message>
    <message>
        <source>new incident ({type})</source>
        <translation>báo vụ mới ({type})</translation>
    </message>
    <message>
        <source>report linked to {incident}</source>
        <translation>báo thêm cho vụ {incident}</translation>
    </message>
    <message>
        <source>note on {incident}</source>
        <translation>ghi chú vụ {incident}</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} phút</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} giây</translation>
    </message>
    <message>
        <source>{n} command(s) waiting to be sent: {what}</source>
        <translation>{n} lệnh chờ gửi: {what}</translation>
    </message>
    <message>
        <source>The waiting command “{what}” was not sent: {reason}</source>
        <translation>Lệnh chờ «{what}» không được gửi: {reason}</translation>
    </message>
    <message>
        <source>Not sent: the database was away for more than {limit} — confirm “{what}” by radio and give the order again.</source>
        <translation>Không gửi: mất kết nối cơ sở dữ liệu quá {limit} — xác nhận «{what}» qua bộ đàm rồi ra lệnh lại.</translation>
    </message>
    <message>
        <source>Cancel the waiting order: {what}</source>
        <translation>Hủy lệnh chờ gửi: {what}</translation>
    </message>
    <message>
        <source>{unit} already has an order waiting for the database ({what}). Cancel it first to give another.</source>
        <translation>Tổ {unit} đã có lệnh đang chờ gửi ({what}). Hủy lệnh đó trước rồi mới ra lệnh khác.</translation>
    </message>
    <message>
        <source>view of camera {camera} (record)</source>
        <translation>xem camera {camera} (ghi nhận)</translation>
    </message>
    <message>
        <source>end of view of camera {camera} (record)</source>
        <translation>dừng xem camera {camera} (ghi nhận)</translation>
    </message>
    <message>
        <source>{unit} on a drill</source>
        <translation>{unit} vào diễn tập</translation>
    </message>
    <message>
        <source>{unit} back on real duty</source>
        <translation>{unit} thôi diễn tập</translation>
    </message>
</context>
</TS>
