; Inno Setup 6 script: a per-machine installer of the one-folder bundle (dist\vsm-desktop).
; Built on Windows after the bundle, from the checkout's root (packaging\README.md has the commands):
;   python packaging\project.py --iss build\packaging\metadata.iss
;   iscc packaging\windows\vsm-desktop.iss
;
; Silent install for IT (see packaging\README.md, "Windows"):
;   vsm-desktop-VERSION-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP-
;       [/CONFIG=\\server\share\vsm-settings.json] [/CABUNDLE=\\server\share\authority-ca.pem]
;       [/LOG=C:\Windows\Temp\vsm-desktop-setup.log]
; /CONFIG copies the machine-wide settings to C:\ProgramData\vsm-desktop\settings.json;
; /CABUNDLE copies the authority's CA certificate to C:\ProgramData\vsm-desktop\ca.pem.

#include "..\..\build\packaging\metadata.iss"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppPublisherURL={#AppURL}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per machine: every user of the laptop gets it; installing needs an administrator (or the deployment tool).
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=vsm-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\pyinstaller\vsm-desktop\generated\icons\vsm-desktop.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running copy is closed (it saves as it goes) before files are replaced.
CloseApplications=yes
RestartApplications=no
; The folder is added to the machine's PATH: tell running programs the environment changed.
ChangesEnvironment=yes

[Languages]
; Inno Setup ships no Welsh wizard text; the application itself is bilingual.
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\{#AppDirName}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; Machine-wide settings and CA certificate, only when given on the command line. Left in place on
; uninstall: they belong to the IT team, and an upgrade keeps them.
Source: "{param:CONFIG}"; DestDir: "{commonappdata}\{#AppDirName}"; DestName: "settings.json"; \
  Flags: external ignoreversion uninsneveruninstall; Check: HasParam('CONFIG')
Source: "{param:CABUNDLE}"; DestDir: "{commonappdata}\{#AppDirName}"; DestName: "ca.pem"; \
  Flags: external ignoreversion uninsneveruninstall; Check: HasParam('CABUNDLE')

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Parameters: "app"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Parameters: "app"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Registry]
; `vsm-desktop` on the PATH of every user, for the command line (machine PATH, removed on uninstall).
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; \
  ValueName: "Path"; ValueData: "{olddata};{app}"; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\{#AppExeName}"; Parameters: "app"; Description: "{cm:LaunchProgram,{#AppName}}"; \
  Flags: nowait postinstall skipifsilent

[Code]
function HasParam(Name: String): Boolean;
begin
  Result := ExpandConstant('{param:' + Name + '|}') <> '';
end;

function NotOnPath(Folder: String): Boolean;
var
  Path: String;
begin
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path) then
    Result := True
  else
    Result := Pos(';' + Uppercase(Folder) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path, Folder: String;
  At: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path) then
    Exit;
  Folder := ';' + ExpandConstant('{app}');
  At := Pos(Uppercase(Folder), Uppercase(Path));
  if At > 0 then
  begin
    Delete(Path, At, Length(Folder));
    RegWriteExpandStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path);
  end;
end;
