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
</context>
</TS>
